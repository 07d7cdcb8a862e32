package dev.workcell.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the committed CRDs make the API server refuse: a missing spec, database or TLS section,
 * negative counts, malformed images and versions, and the cross-field rules (CEL). The fabric8
 * mock server does not validate, so this reads the schema itself; patterns are compiled and tried.
 */
class CrdSchemaTest {

    private final JSONSchemaProps workcell = schema("workcells.workcell.dev-v1.yml");
    private final JSONSchemaProps pool = schema("workcellagentpools.workcell.dev-v1.yml");

    @Test
    void aWorkcellNeedsASpecWithVersionDatabaseAndTls() {
        assertThat(workcell.getRequired()).containsExactly("spec");
        assertThat(spec(workcell).getRequired()).containsExactlyInAnyOrder("version", "database", "tls");
        JSONSchemaProps database = property(spec(workcell), "database");
        assertThat(database.getRequired()).containsExactlyInAnyOrder("user", "password");
        assertThat(property(database, "password").getRequired()).containsExactlyInAnyOrder("name", "key");
    }

    @Test
    void aWorkcellRefusesNegativeAndOutOfRangeNumbers() {
        assertThat(property(spec(workcell), "replicas").getMinimum()).isEqualTo(0.0);
        JSONSchemaProps database = property(spec(workcell), "database");
        assertThat(property(database, "port").getMinimum()).isEqualTo(1.0);
        assertThat(property(database, "port").getMaximum()).isEqualTo(65535.0);
        assertThat(property(database, "poolSize").getMinimum()).isEqualTo(1.0);
    }

    @Test
    void aWorkcellRefusesMalformedImagesAndVersions() {
        Pattern image = Pattern.compile(property(spec(workcell), "image").getPattern());
        assertThat("workcell/control-plane:0.1.0").matches(image);
        assertThat("registry.example:5000/team/control-plane@sha256:" + "a".repeat(64))
                .matches(image);
        assertThat("Not An Image").doesNotMatch(image);
        assertThat("control-plane:0.1.0:extra").doesNotMatch(image);
        assertThat("Control-Plane").doesNotMatch(image);
        Pattern version = Pattern.compile(property(spec(workcell), "version").getPattern());
        assertThat("0.1.0").matches(version);
        assertThat("0.1.0-rc.1").matches(version);
        assertThat("latest").doesNotMatch(version);
        assertThat("0.1").doesNotMatch(version);
    }

    @Test
    void aWorkcellCarriesItsCrossFieldRules() {
        assertThat(property(spec(workcell), "database").getXKubernetesValidations())
                .extracting(ValidationRule::getRule)
                .containsExactly(
                        "has(self.url) ? !has(self.host) && !has(self.name) : has(self.host) && has(self.name)");
        assertThat(property(spec(workcell), "tls").getXKubernetesValidations())
                .extracting(ValidationRule::getMessage)
                .containsExactlyInAnyOrder(
                        "set either serverCertificateSecret, or plaintext: true",
                        "requireAgentCertificates needs agentCaSecret");
    }

    @Test
    void anAgentPoolNeedsItsWorkcellAndBoundsAndScalesThroughTheScaleSubresource() throws IOException {
        assertThat(pool.getRequired()).containsExactly("spec");
        assertThat(spec(pool).getRequired()).containsExactlyInAnyOrder("workcellRef", "maxAgents");
        assertThat(property(spec(pool), "minAgents").getMinimum()).isEqualTo(0.0);
        assertThat(property(spec(pool), "maxAgents").getMinimum()).isEqualTo(0.0);
        assertThat(property(spec(pool), "replicas").getMinimum()).isEqualTo(0.0);
        assertThat(spec(pool).getXKubernetesValidations())
                .extracting(ValidationRule::getRule)
                .containsExactly("!has(self.minAgents) || self.minAgents <= self.maxAgents");
        Pattern duration =
                Pattern.compile(property(spec(pool), "scaleDownDelay").getPattern());
        assertThat("5m").matches(duration);
        assertThat("1h30m").matches(duration);
        assertThat("five minutes").doesNotMatch(duration);
        var scale = crd("workcellagentpools.workcell.dev-v1.yml")
                .getSpec()
                .getVersions()
                .get(0)
                .getSubresources()
                .getScale();
        assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
    }

    private static JSONSchemaProps spec(JSONSchemaProps root) {
        return property(root, "spec");
    }

    private static JSONSchemaProps property(JSONSchemaProps schema, String name) {
        JSONSchemaProps property = schema.getProperties().get(name);
        assertThat(property).as("property " + name).isNotNull();
        return property;
    }

    private static JSONSchemaProps schema(String file) {
        try {
            return crd(file).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CustomResourceDefinition crd(String file) throws IOException {
        try (InputStream in = Files.newInputStream(CrdsUpToDateTest.COMMITTED.resolve(file))) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }
}
