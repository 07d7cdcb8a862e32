package dev.workcell.operator.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.workcell.operator.common.SecretKeyRef;
import dev.workcell.operator.workcell.DatabaseSpec;
import dev.workcell.operator.workcell.TlsSpec;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Workcells and Secrets as a user would write them, for the tests. */
public final class TestWorkcells {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    public static final String VERSION = "0.1.0";

    private TestWorkcells() {}

    /** A valid spec: TLS with a certificate Secret, the database at 127.0.0.1:port with credentials in Secret {name}-db. */
    public static WorkcellSpec spec(String name, int databasePort) {
        return new WorkcellSpec(
                VERSION,
                null,
                2,
                null,
                null,
                database(name, "127.0.0.1", databasePort, "postgres"),
                new TlsSpec(name + "-tls", null, null, null),
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public static DatabaseSpec database(String name, String host, int port, String database) {
        return new DatabaseSpec(
                host,
                port,
                database,
                null,
                new SecretKeyRef(name + "-db", "username"),
                new SecretKeyRef(name + "-db", "password"),
                null);
    }

    public static Workcell workcell(String namespace, String name, WorkcellSpec spec) {
        Workcell workcell = new Workcell();
        workcell.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        workcell.setSpec(spec);
        return workcell;
    }

    /** The Secrets spec(name, port) reads: database credentials (postgres/postgres) and a TLS certificate. */
    public static Secret databaseSecret(String namespace, String name, String password) {
        return secret(namespace, name + "-db", Map.of("username", "postgres", "password", password));
    }

    public static Secret tlsSecret(String namespace, String name) {
        return secret(
                namespace,
                name + "-tls",
                Map.of(
                        TlsSpec.CERTIFICATE_KEY,
                        "-----BEGIN CERTIFICATE-----",
                        TlsSpec.PRIVATE_KEY_KEY,
                        "-----BEGIN PRIVATE KEY-----"));
    }

    public static Secret secret(String namespace, String name, Map<String, String> values) {
        SecretBuilder secret = new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata();
        values.forEach((key, value) -> secret.addToData(key, base64(value)));
        return secret.build();
    }

    /** A copy of the spec with one field (a top-level name, e.g. "image") set, as kubectl edit would. */
    public static WorkcellSpec with(WorkcellSpec spec, String field, Object value) {
        Map<String, Object> fields = new HashMap<>(Serialization.jsonMapper().convertValue(spec, MAP));
        fields.put(field, value);
        return Serialization.jsonMapper().convertValue(fields, WorkcellSpec.class);
    }

    public static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
