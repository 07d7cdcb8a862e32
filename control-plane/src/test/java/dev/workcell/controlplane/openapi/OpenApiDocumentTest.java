package dev.workcell.controlplane.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Timestamp;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.controlplane.testing.LiveRoutes;
import dev.workcell.controlplane.testing.LiveRoutes.Route;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.ServedOpenApi;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.Device;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document served at /q/openapi against the running server: it describes exactly the
 * REST routes the server has (browser pages excluded), states for each the role its annotations
 * require, and its protobuf schemas have the fields and values of the proto messages and enums.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OpenApiDocumentTest {

    private ServedOpenApi document;

    @BeforeEach
    void readTheServedDocument() {
        document = ServedOpenApi.fetch();
    }

    @Test
    void theDocumentDescribesEveryApiRouteOfTheServerAndNoOther() {
        Set<String> live = apiRoutes().stream().map(Route::key).collect(Collectors.toSet());

        assertThat(live)
                .as("routes read from the running server")
                .contains("POST /api/v1/actions", "GET /api/v1/whoami");
        assertThat(document.operations())
                .as("operations of /q/openapi, against the server's routes")
                .containsExactlyInAnyOrderElementsOf(live);
    }

    @Test
    void eachOperationStatesTheWeakestRoleItsRolesAllowedAnnotationAdmits() {
        List<String> wrong = new ArrayList<>();
        Set<Set<String>> seen = new HashSet<>();
        for (Route route : apiRoutes()) {
            Set<String> annotated = weakest(allowedRoles(route));
            Set<String> documented = documentedRoles(document.operation(route.key()));
            seen.add(annotated);
            if (!documented.equals(annotated)) {
                wrong.add(route.key() + ": the document says " + documented + ", the annotations " + annotated);
            }
        }

        assertThat(seen)
                .as("roles read from the annotations")
                .contains(
                        Set.of(Roles.VIEWER),
                        Set.of(Roles.SUBMITTER),
                        Set.of(Roles.ADMIN),
                        Set.of(Roles.VIEWER, Roles.AGENT));
        assertThat(wrong).isEmpty();
    }

    @Test
    void theProtobufSchemasHaveTheFieldsOfTheirMessagesAndTheValuesOfTheirEnums() {
        JsonNode schemas = document.root().path("components").path("schemas");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (FileDescriptor file : List.of(
                Action.getDescriptor().getFile(),
                Device.getDescriptor().getFile(),
                Campaign.getDescriptor().getFile())) {
            for (Descriptor message : file.getMessageTypes()) {
                if (schemas.has(message.getName())) {
                    checked++;
                    compare(message, schemas.get(message.getName()), wrong);
                }
            }
            for (EnumDescriptor type : file.getEnumTypes()) {
                if (schemas.has(type.getName())) {
                    checked++;
                    Set<String> values = new TreeSet<>();
                    schemas.get(type.getName()).path("enum").forEach(value -> values.add(value.asText()));
                    Set<String> expected = type.getValues().stream()
                            .map(EnumValueDescriptor::getName)
                            .collect(Collectors.toCollection(TreeSet::new));
                    if (!values.equals(expected)) {
                        wrong.add(type.getName() + ": enum " + values + ", the proto has " + expected);
                    }
                }
            }
        }

        assertThat(checked).as("schemas named after a proto message or enum").isGreaterThanOrEqualTo(25);
        assertThat(wrong).isEmpty();
    }

    @Test
    void theServedDocumentIsTheStaticFileWithoutScannedSchemas() throws IOException {
        Set<String> served = new TreeSet<>();
        document.root().path("components").path("schemas").fieldNames().forEachRemaining(served::add);
        Set<String> written = new TreeSet<>();
        try (InputStream file = getClass().getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            new ObjectMapper(new YAMLFactory())
                    .readTree(file)
                    .path("components")
                    .path("schemas")
                    .fieldNames()
                    .forEachRemaining(written::add);
        }

        assertThat(written).isNotEmpty();
        assertThat(served).isEqualTo(written);
        assertThat(document.root().path("openapi").asText()).startsWith("3.1");
    }

    @Test
    void swaggerUiIsServedOnTheApiPortWithoutAToken() {
        String page = given().auth()
                .none()
                .get("/q/swagger-ui/")
                .then()
                .statusCode(200)
                .contentType("text/html")
                .extract()
                .asString();

        assertThat(page).contains("swagger-ui");
    }

    /** The server's REST routes that belong to the API (under /api/): the dashboard's routes are for a browser with a session. */
    private static List<Route> apiRoutes() {
        return LiveRoutes.all().stream().filter(Route::isApi).toList();
    }

    /** The roles of an operation's security requirements, one role per alternative; none for a public one. */
    private static Set<String> documentedRoles(JsonNode operation) {
        Set<String> roles = new HashSet<>();
        operation
                .path("security")
                .forEach(alternative -> alternative.path("bearer").forEach(role -> roles.add(role.asText())));
        return roles;
    }

    /** The roles of the method's annotation, else its class's; none for @PermitAll. */
    private static Set<String> allowedRoles(Route route) {
        for (AnnotatedElement element :
                List.of(route.javaMethod(), route.javaMethod().getDeclaringClass())) {
            if (element.isAnnotationPresent(PermitAll.class)) {
                return Set.of();
            }
            if (element.isAnnotationPresent(RolesAllowed.class)) {
                return Set.of(element.getAnnotation(RolesAllowed.class).value());
            }
        }
        throw new AssertionError(route.key() + " states neither @RolesAllowed nor @PermitAll");
    }

    /** Without the roles that include another of the set (an admin is also a viewer: viewer is enough). */
    private static Set<String> weakest(Set<String> roles) {
        return roles.stream()
                .filter(role -> roles.stream()
                        .noneMatch(other ->
                                !other.equals(role) && Roles.grantedBy(role).contains(other)))
                .collect(Collectors.toSet());
    }

    private static void compare(Descriptor message, JsonNode schema, List<String> wrong) {
        Set<String> properties = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> fields = message.getFields().stream()
                .map(FieldDescriptor::getJsonName)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!properties.equals(fields)) {
            wrong.add(message.getName() + ": properties " + properties + ", the proto has " + fields);
            return;
        }
        if (!schema.path("additionalProperties").isBoolean()
                || schema.path("additionalProperties").asBoolean()) {
            wrong.add(message.getName() + ": additionalProperties must be false (the parser refuses unknown fields)");
        }
        for (FieldDescriptor field : message.getFields()) {
            JsonNode property = schema.path("properties").path(field.getJsonName());
            String shape =
                    field.isMapField() ? "object" : field.isRepeated() ? "array of " + shape(field) : shape(field);
            String documented = describe(property);
            if (!documented.equals(shape)) {
                wrong.add(message.getName() + "." + field.getJsonName() + ": " + documented + ", the proto's JSON is "
                        + shape);
            }
        }
    }

    /** A field's JSON shape in protobuf's JSON mapping: a type, or the schema a message or enum refers to. */
    private static String shape(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case MESSAGE ->
                field.getMessageType()
                                .getFullName()
                                .equals(Timestamp.getDescriptor().getFullName())
                        ? "string date-time"
                        : "$ref " + field.getMessageType().getName();
            case ENUM -> "$ref " + field.getEnumType().getName();
            case INT -> "integer";
            case LONG -> "string int64"; // 64-bit integers are JSON strings
            case BOOLEAN -> "boolean";
            case FLOAT, DOUBLE -> "number";
            case STRING, BYTE_STRING -> "string";
        };
    }

    private static String describe(JsonNode property) {
        if (property.path("type").asText().equals("array")) {
            return "array of " + describe(property.path("items"));
        }
        if (property.has("$ref")) {
            String ref = property.get("$ref").asText();
            return "$ref " + ref.substring(ref.lastIndexOf('/') + 1);
        }
        String type = property.path("type").asText();
        String format = property.path("format").asText();
        return type.equals("string") && (format.equals("date-time") || format.equals("int64"))
                ? type + " " + format
                : type;
    }
}
