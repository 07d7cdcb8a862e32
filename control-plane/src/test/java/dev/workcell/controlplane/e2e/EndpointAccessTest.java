package dev.workcell.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.ArtifactServiceGrpc;
import dev.workcell.proto.v1.Device;
import grpc.health.v1.HealthGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Walks every REST endpoint and every gRPC method: without a credential each is refused (401 /
 * UNAUTHENTICATED), and with a role below the one it needs (or an agent's credential on a client
 * endpoint, or a client token on an agent method) it is refused too (403 / PERMISSION_DENIED).
 * The tables below must name every endpoint the server has (REST resources as compiled, gRPC
 * methods as the server's reflection service lists them): a new one fails this test until its
 * protection is stated here. Reflection and health answer anonymous callers.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EndpointAccessTest {

    private static final String ID = "0".repeat(40);
    private static final String SHA = "0".repeat(64);

    /** Every REST endpoint ("METHOD path") and the weakest client role that may call it. */
    private static final Map<String, String> REST = Map.ofEntries(
            Map.entry("POST /api/v1/actions", "submitter"),
            Map.entry("POST /api/v1/actions:batch", "submitter"),
            Map.entry("GET /api/v1/actions", "viewer"),
            Map.entry("GET /api/v1/actions/{id}", "viewer"),
            Map.entry("GET /api/v1/actions/{id}/events", "viewer"),
            Map.entry("GET /api/v1/actions/{id}/pending", "viewer"),
            Map.entry("GET /api/v1/actions/{id}/log", "viewer"),
            Map.entry("POST /api/v1/actions/{id}/cancel", "submitter"),
            Map.entry("GET /api/v1/actions/watch", "viewer"),
            Map.entry("GET /api/v1/devices", "viewer"),
            Map.entry("GET /api/v1/workers", "viewer"),
            Map.entry("POST /api/v1/devices/{id}/approve", "admin"),
            Map.entry("POST /api/v1/devices/{id}/quarantine", "admin"),
            Map.entry("DELETE /api/v1/devices/{id}/quarantine", "admin"),
            Map.entry("PUT /api/v1/devices/{id}/labels", "admin"),
            Map.entry("GET /api/v1/devices/{id}/quarantine", "viewer"),
            Map.entry("GET /api/v1/quarantines", "viewer"),
            Map.entry("GET /api/v1/quotas", "viewer"),
            Map.entry("GET /api/v1/quotas/{submitter}", "viewer"),
            Map.entry("PUT /api/v1/quotas/{submitter}", "admin"),
            Map.entry("DELETE /api/v1/quotas/{submitter}", "admin"),
            Map.entry("GET /api/v1/artifacts/{sha256}", "viewer"),
            Map.entry("GET /api/v1/artifacts/{sha256}/info", "viewer"),
            Map.entry("GET /api/v1/whoami", "viewer"),
            Map.entry("POST /api/v1/tokens", "admin"),
            Map.entry("GET /api/v1/tokens", "admin"),
            Map.entry("DELETE /api/v1/tokens/{id}", "admin"),
            Map.entry("POST /api/v1/enrollment-tokens", "admin"),
            Map.entry("GET /api/v1/enrollment-tokens", "admin"),
            Map.entry("DELETE /api/v1/enrollment-tokens/{id}", "admin"),
            Map.entry("GET /api/v1/agents", "admin"),
            Map.entry("DELETE /api/v1/agents/{id}", "admin"),
            Map.entry("POST /api/v1/agents/{id}/drain", "admin"),
            Map.entry("POST /api/v1/agents/{id}/undrain", "admin"),
            Map.entry("GET /api/v1/pools", "viewer"),
            Map.entry("GET /api/v1/pools/{pool}", "viewer"),
            Map.entry("GET /api/v1/audit", "admin"),
            Map.entry("POST /api/v1/subjects", "submitter"),
            Map.entry("GET /api/v1/subjects", "viewer"),
            Map.entry("GET /api/v1/subjects/{id}", "viewer"),
            Map.entry("POST /api/v1/campaigns", "submitter"),
            Map.entry("GET /api/v1/campaigns", "viewer"),
            Map.entry("GET /api/v1/campaigns/{id}", "viewer"),
            Map.entry("POST /api/v1/campaigns/{id}/run", "submitter"),
            Map.entry("GET /api/v1/campaigns/{id}/grid", "viewer"),
            Map.entry("GET /api/v1/campaigns/{id}/grid/events", "viewer"),
            Map.entry("PUT /api/v1/subjects/{id}", "submitter"),
            Map.entry("DELETE /api/v1/subjects/{id}", "submitter"),
            Map.entry("PUT /api/v1/campaigns/{id}", "submitter"),
            Map.entry("DELETE /api/v1/campaigns/{id}", "submitter"));

    /**
     * Every gRPC method and who may call it: a client role, "agent", "agent or viewer", "anyone" (a
     * method that checks a secret in its request), or "anonymous" (answers without a credential).
     */
    private static final Map<String, String> GRPC = Map.ofEntries(
            Map.entry("workcell.v1.ActionService/Submit", "submitter"),
            Map.entry("workcell.v1.ActionService/SubmitBatch", "submitter"),
            Map.entry("workcell.v1.ActionService/Get", "viewer"),
            Map.entry("workcell.v1.ActionService/List", "viewer"),
            Map.entry("workcell.v1.ActionService/Events", "viewer"),
            Map.entry("workcell.v1.ActionService/Pending", "viewer"),
            Map.entry("workcell.v1.ActionService/Watch", "viewer"),
            Map.entry("workcell.v1.ActionService/Cancel", "submitter"),
            Map.entry("workcell.v1.ActionService/Logs", "viewer"),
            Map.entry("workcell.v1.ActionService/ListDevices", "viewer"),
            Map.entry("workcell.v1.ActionService/ListWorkers", "viewer"),
            Map.entry("workcell.v1.AgentService/Enroll", "anyone"),
            Map.entry("workcell.v1.AgentService/Connect", "agent"),
            Map.entry("workcell.v1.ArtifactService/Status", "agent"),
            Map.entry("workcell.v1.ArtifactService/Upload", "agent"),
            Map.entry("workcell.v1.ArtifactService/Download", "agent or viewer"),
            Map.entry("workcell.v1.CampaignService/CreateSubject", "submitter"),
            Map.entry("workcell.v1.CampaignService/GetSubject", "viewer"),
            Map.entry("workcell.v1.CampaignService/ListSubjects", "viewer"),
            Map.entry("workcell.v1.CampaignService/CreateCampaign", "submitter"),
            Map.entry("workcell.v1.CampaignService/GetCampaign", "viewer"),
            Map.entry("workcell.v1.CampaignService/ListCampaigns", "viewer"),
            Map.entry("workcell.v1.CampaignService/RunCampaign", "submitter"),
            Map.entry("workcell.v1.CampaignService/Grid", "viewer"),
            Map.entry("workcell.v1.CampaignService/WatchGrid", "viewer"),
            Map.entry("workcell.v1.CampaignService/UpdateSubject", "submitter"),
            Map.entry("workcell.v1.CampaignService/DeleteSubject", "submitter"),
            Map.entry("workcell.v1.CampaignService/UpdateCampaign", "submitter"),
            Map.entry("workcell.v1.CampaignService/DeleteCampaign", "submitter"),
            Map.entry("grpc.health.v1.Health/Check", "anonymous"),
            Map.entry("grpc.health.v1.Health/Watch", "anonymous"),
            Map.entry("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "anonymous"),
            Map.entry("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "anonymous"));

    /** Descriptors of every service the tables name, to call their methods. */
    private static final List<ServiceDescriptor> SERVICES = List.of(
            ActionServiceGrpc.getServiceDescriptor(),
            dev.workcell.proto.v1.CampaignServiceGrpc.getServiceDescriptor(),
            AgentServiceGrpc.getServiceDescriptor(),
            ArtifactServiceGrpc.getServiceDescriptor(),
            HealthGrpc.getServiceDescriptor(),
            ServerReflectionGrpc.getServiceDescriptor(),
            grpc.reflection.v1alpha.ServerReflectionGrpc.getServiceDescriptor());

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CLIENT_ROLES = List.of("viewer", "submitter", "admin");

    private static final Map<String, String> TOKENS = new java.util.HashMap<>();
    private static String agentCredential;
    private static ManagedChannel channel;

    @BeforeEach
    void createOneCredentialOfEachKindOnce() {
        if (channel != null) {
            return;
        }
        for (String role : CLIENT_ROLES) {
            TOKENS.put(
                    role,
                    given().contentType(ContentType.JSON)
                            .body("{\"name\": \"walk-" + role + "\", \"role\": \"" + role + "\"}")
                            .post("/api/v1/tokens")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("secret"));
        }
        agentCredential = TestCredentials.agentCredential(
                Api.testPort(),
                Device.newBuilder().setName("walker-" + TestCredentials.RUN).build());
        channel = ManagedChannelBuilder.forAddress("localhost", Api.testPort())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void closeChannel() {
        channel.shutdownNow();
    }

    @Test
    void theTablesNameEveryEndpointTheServerHas() {
        assertThat(restEndpoints()).containsExactlyInAnyOrderElementsOf(REST.keySet());
        assertThat(grpcMethods()).containsExactlyInAnyOrderElementsOf(GRPC.keySet());
    }

    @Test
    void everyRestEndpointRefusesAnonymousCallersAndRolesBelowItsOwn() {
        List<String> wrong = new ArrayList<>();
        REST.forEach((endpoint, weakest) -> {
            expectRest(endpoint, null, 401, wrong);
            expectRest(endpoint, agentCredential, endpoint.equals("GET /api/v1/whoami") ? 200 : 403, wrong);
            for (String role : CLIENT_ROLES.subList(0, CLIENT_ROLES.indexOf(weakest))) {
                expectRest(endpoint, TOKENS.get(role), 403, wrong);
            }
            expectRest(endpoint, "wct_forged-" + TestCredentials.RUN, 401, wrong);
        });
        assertThat(wrong).as("endpoints that answered otherwise").isEmpty();
    }

    @Test
    void theWeakestAllowedRoleGetsThroughToTheEndpointItself() {
        List<String> wrong = new ArrayList<>();
        REST.forEach((endpoint, weakest) -> {
            int status = call(endpoint, TOKENS.get(weakest));
            if (status == 401 || status == 403 || status >= 500) {
                wrong.add(endpoint + " as " + weakest + ": " + status);
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyGrpcMethodRefusesAnonymousCallersAndCallersWithoutItsRole() {
        List<String> wrong = new ArrayList<>();
        GRPC.forEach((method, who) -> {
            if (who.equals("anyone")) {
                expectGrpc(method, null, Status.Code.INVALID_ARGUMENT, wrong);
                return;
            }
            if (who.equals("anonymous")) {
                expectGrpc(method, null, Status.Code.OK, wrong);
                return;
            }
            expectGrpc(method, null, Status.Code.UNAUTHENTICATED, wrong);
            expectGrpc(method, "wca_forged-" + TestCredentials.RUN, Status.Code.UNAUTHENTICATED, wrong);
            if (!who.contains("agent")) {
                expectGrpc(method, agentCredential, Status.Code.PERMISSION_DENIED, wrong);
                for (String role : CLIENT_ROLES.subList(0, CLIENT_ROLES.indexOf(who))) {
                    expectGrpc(method, TOKENS.get(role), Status.Code.PERMISSION_DENIED, wrong);
                }
            } else if (!who.contains("viewer")) {
                CLIENT_ROLES.forEach(
                        role -> expectGrpc(method, TOKENS.get(role), Status.Code.PERMISSION_DENIED, wrong));
            }
        });
        assertThat(wrong).as("methods that answered otherwise").isEmpty();
    }

    private static void expectRest(String endpoint, String secret, int expected, List<String> wrong) {
        int status = call(endpoint, secret);
        if (status != expected) {
            wrong.add(endpoint + (secret == null ? " anonymous" : " with " + secret.substring(0, 4)) + ": " + status
                    + ", expected " + expected);
        }
    }

    /** The status of a call; the body is not read, so that streams (watch, log) answer at once too. */
    private static int call(String endpoint, String secret) {
        String[] parts = endpoint.split(" ");
        String path = parts[1].replace("{id}", ID)
                .replace("{sha256}", SHA)
                .replace("{pool}", "no-such-pool")
                .replace("{submitter}", "no-such-submitter");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + Api.testPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(
                        parts[0],
                        parts[0].equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody());
        if (secret != null) {
            request.header("Authorization", TestCredentials.bearer(secret));
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expectGrpc(String fullMethod, String secret, Status.Code expected, List<String> wrong) {
        Status.Code got = callGrpc(fullMethod, secret);
        if (got != expected) {
            wrong.add(fullMethod + (secret == null ? " anonymous" : " with " + secret.substring(0, 4)) + ": " + got
                    + ", expected " + expected);
        }
    }

    /** Calls a method with an empty message and returns the status it ends with (OK if it does not end within 2 s). */
    @SuppressWarnings("unchecked")
    private static Status.Code callGrpc(String fullMethod, String secret) {
        MethodDescriptor<Object, Object> method = (MethodDescriptor<Object, Object>) SERVICES.stream()
                .flatMap(service -> service.getMethods().stream())
                .filter(candidate -> candidate.getFullMethodName().equals(fullMethod))
                .findFirst()
                .orElseThrow();
        ClientCall<Object, Object> call = channel.newCall(method, CallOptions.DEFAULT);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        Metadata headers = secret == null ? new Metadata() : TestCredentials.headers(secret);
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        closed.complete(status);
                    }
                },
                headers);
        call.request(1);
        call.sendMessage(emptyRequest(method));
        call.halfClose();
        try {
            return closed.get(2, TimeUnit.SECONDS).getCode();
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel("still open: allowed", null);
            return Status.Code.OK;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object emptyRequest(MethodDescriptor<Object, Object> method) {
        var marshaller = (MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller();
        return marshaller.getMessagePrototype();
    }

    private static Set<String> restEndpoints() {
        Set<String> endpoints = new HashSet<>();
        for (Class<?> resource : resourceClasses()) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class)
                        ? "GET"
                        : method.isAnnotationPresent(POST.class)
                                ? "POST"
                                : method.isAnnotationPresent(PUT.class)
                                        ? "PUT"
                                        : method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    endpoints.add(verb + " " + base + (sub == null ? "" : "/" + sub.value()));
                }
            }
        }
        return endpoints;
    }

    /**
     * Every class of the control plane with a JAX-RS @Path under /api/, found in its compiled classes.
     * The dashboard's pages (package web) take a session instead of a bearer token: SignInTest
     * walks them.
     */
    private static List<Class<?>> resourceClasses() {
        java.nio.file.Path root = java.nio.file.Path.of("target", "classes");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root.resolve("dev"))) {
            List<Class<?>> resources = new ArrayList<>();
            for (java.nio.file.Path file : files.filter(f ->
                            f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, EndpointAccessTest.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)
                        && type.getAnnotation(Path.class).value().startsWith("/api/")) {
                    resources.add(type);
                }
            }
            assertThat(resources).as("resource classes found").hasSizeGreaterThanOrEqualTo(4);
            return resources;
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every method of every service the server serves, as its reflection service describes them to
     * an anonymous caller, and the reflection services themselves (which do not list themselves).
     */
    private static Set<String> grpcMethods() {
        Set<String> methods = new HashSet<>();
        for (String service : reflect(
                        ServerReflectionRequest.newBuilder().setListServices("").build())
                .getListServicesResponse()
                .getServiceList()
                .stream()
                .map(ServiceResponse::getName)
                .toList()) {
            for (ByteString file : reflect(ServerReflectionRequest.newBuilder()
                            .setFileContainingSymbol(service)
                            .build())
                    .getFileDescriptorResponse()
                    .getFileDescriptorProtoList()) {
                try {
                    FileDescriptorProto proto = FileDescriptorProto.parseFrom(file);
                    proto.getServiceList().stream()
                            .filter(candidate -> (proto.getPackage().isEmpty() ? "" : proto.getPackage() + ".")
                                    .concat(candidate.getName())
                                    .equals(service))
                            .flatMap(candidate -> candidate.getMethodList().stream())
                            .forEach(method -> methods.add(service + "/" + method.getName()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertThat(methods).as("methods the reflection service listed").isNotEmpty();
        for (ServiceDescriptor reflection : List.of(
                ServerReflectionGrpc.getServiceDescriptor(),
                grpc.reflection.v1alpha.ServerReflectionGrpc.getServiceDescriptor())) {
            reflection.getMethods().stream()
                    .map(MethodDescriptor::getFullMethodName)
                    .filter(method -> callGrpc(method, null) != Status.Code.UNIMPLEMENTED)
                    .forEach(methods::add);
        }
        return methods;
    }

    private static ServerReflectionResponse reflect(ServerReflectionRequest request) {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        answer.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("no answer to " + request));
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reflection " + request, e);
        }
    }
}
