package dev.workcell.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.operator.common.PodReferences.Kind;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a pod reads from Secrets and ConfigMaps, what of it is missing, and the hash over it. */
class PodReferencesTest {

    private final PodSpec pod = new PodSpecBuilder()
            .addNewContainer()
            .withName("app")
            .addNewEnv()
            .withName("PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "db", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("LEVEL")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("level", "settings", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("EXTRA")
            .withNewValueFrom()
            .withNewSecretKeyRef("extra", "maybe", true)
            .endValueFrom()
            .endEnv()
            .addNewEnvFrom()
            .withNewSecretRef("bulk", false)
            .endEnvFrom()
            .endContainer()
            .addNewVolume()
            .withName("tls")
            .withNewSecret()
            .withSecretName("cert")
            .addNewItem("tls.crt", null, "tls.crt")
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("bundle")
            .withNewProjected()
            .addNewSource()
            .withNewConfigMap()
            .withName("ca-bundle")
            .endConfigMap()
            .endSource()
            .endProjected()
            .endVolume()
            .build();

    @Test
    void everyWayOfReadingIsFound() {
        PodReferences references = PodReferences.of(pod);
        assertThat(references.names(Kind.Secret)).containsExactly("bulk", "cert", "db", "maybe");
        assertThat(references.names(Kind.ConfigMap)).containsExactly("ca-bundle", "settings");
    }

    @Test
    void missingObjectsAndKeysAreNamedWithWhatUsesThemButOptionalOnesAreNot() {
        Map<String, Map<String, String>> secrets =
                Map.of("db", Map.of("user", "eA=="), "bulk", Map.of(), "cert", Map.of("tls.crt", "eA=="));
        ConfigSource source =
                (kind, name) -> kind == Kind.Secret ? Optional.ofNullable(secrets.get(name)) : Optional.empty();
        assertThat(PodReferences.of(pod).missing(source))
                .containsExactly(
                        "Secret db has no key password (env PASSWORD)",
                        "ConfigMap settings (env LEVEL) does not exist",
                        "ConfigMap ca-bundle (volume bundle) does not exist");
    }

    @Test
    void theHashChangesWithAnyReferencedValueAndOnlyThen() {
        Map<String, String> db = new HashMap<>(Map.of("password", "b2xk"));
        ConfigSource source =
                (kind, name) -> kind == Kind.Secret && name.equals("db") ? Optional.of(db) : Optional.empty();
        PodReferences references = PodReferences.of(pod);
        String before = ConfigHash.of(references, source);
        assertThat(ConfigHash.of(references, source)).isEqualTo(before);
        db.put("password", "bmV3");
        assertThat(ConfigHash.of(references, source)).isNotEqualTo(before).matches("[0-9a-f]{64}");
        ConfigSource unrelated = (kind, name) -> kind == Kind.Secret && name.equals("db")
                ? Optional.of(db)
                : name.equals("not-referenced") ? Optional.of(Map.of("x", "y")) : Optional.empty();
        assertThat(ConfigHash.of(references, unrelated)).isEqualTo(ConfigHash.of(references, source));
    }
}
