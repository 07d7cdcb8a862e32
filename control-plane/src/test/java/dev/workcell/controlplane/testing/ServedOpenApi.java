package dev.workcell.controlplane.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OpenAPI document as the running control plane serves it at /q/openapi (anonymously), and
 * the check of an answer against the schema it documents for that operation and status.
 */
public final class ServedOpenApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode root;

    private ServedOpenApi(String json) {
        try {
            this.root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ServedOpenApi fetch() {
        return new ServedOpenApi(given().auth()
                .none()
                .accept("application/json")
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    public JsonNode root() {
        return root;
    }

    /** Every documented operation as "METHOD path", e.g. "GET /api/v1/actions/{id}". */
    public Set<String> operations() {
        Set<String> operations = new LinkedHashSet<>();
        root.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().stream()
                        .filter(method -> METHODS.contains(method.getKey()))
                        .forEach(method -> operations.add(method.getKey().toUpperCase() + " " + path.getKey())));
        return operations;
    }

    /** The operation object of "METHOD path"; a missing node when it is not documented. */
    public JsonNode operation(String key) {
        String[] parts = key.split(" ", 2);
        return root.path("paths").path(parts[1]).path(parts[0].toLowerCase());
    }

    /**
     * What is wrong with a JSON answer of an operation, measured against the schema the document
     * gives for that status (through a components/responses reference if it uses one); an
     * undocumented status or one without a JSON schema is itself a finding.
     */
    public List<String> check(String operation, int status, String body) {
        JsonNode response = operation(operation).path("responses").path(Integer.toString(status));
        if (response.has("$ref")) {
            response = root.at(response.get("$ref").asText().substring(1));
        }
        if (response.isMissingNode()) {
            return List.of(operation + " documents no " + status + " answer");
        }
        JsonNode documented = response.path("content").path("application/json").path("schema");
        if (documented.isMissingNode()) {
            return List.of(operation + " documents no JSON schema for " + status);
        }
        ObjectNode schema = JSON.createObjectNode()
                .put("$schema", "https://json-schema.org/draft/2020-12/schema")
                .set("components", root.path("components"));
        schema.putArray("allOf").add(documented);
        return SCHEMAS.getSchema(schema.toString(), InputFormat.JSON).validate(body, InputFormat.JSON).stream()
                .map(Error::toString)
                .map(error -> operation + " " + status + ": " + error)
                .toList();
    }
}
