package dev.workcell.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ListDevicesRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A caller over its rate gets 429 (REST) or RESOURCE_EXHAUSTED (gRPC); another caller is not
 * affected; an address sending many made-up credentials is limited as a whole. All these tests
 * call from one address, whose bucket is ten times a credential's: each flooder stops soon after
 * its first refusal so that the address keeps room for the callers that must not be affected.
 */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimits.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@WithTestResource(PostgresResource.class)
class RateLimitTest {

    /** 2 calls per second, bursts of 20: low enough that a slow machine still goes over it. */
    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workcell.limits.requests-per-second", "2", "workcell.limits.request-burst", "20");
        }
    }

    @GrpcClient("actions")
    ActionService actions;

    @Test
    void aRestCallerOverItsRateGets429WithRetryAfterAndOthersCarryOn() {
        List<Integer> statuses = new ArrayList<>();
        String retryAfter = null;
        for (int i = 0; i < 100 && retryAfter == null; i++) {
            var response = given().auth().oauth2("wct_rest-flooder").get("/api/v1/workers");
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                retryAfter = response.header("Retry-After");
            }
        }
        assertThat(statuses.subList(0, 20)).as("the burst").doesNotContain(429);
        assertThat(statuses).contains(429);
        assertThat(retryAfter).isNotNull();
        // The admin's own bucket is untouched by the flooder.
        given().get("/api/v1/workers").then().statusCode(200);
    }

    @Test
    void theManagementPortIsOutsideTheLimitAndEveryRefusalIsCounted() {
        int management = Management.testPort();
        double before = Management.value(
                Management.samples(management), "workcell_rate_limit_refusals_total", "protocol=\"rest\"");
        int refused = 0;
        for (int i = 0; i < 60 && refused < 3; i++) {
            refused += given().auth()
                                    .oauth2("wct_counted-flooder")
                                    .get("/api/v1/workers")
                                    .statusCode()
                            == 429
                    ? 1
                    : 0;
        }
        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            probes.add(Management.on(management).get("/q/health/live").statusCode());
        }
        double after = Management.value(
                Management.samples(management), "workcell_rate_limit_refusals_total", "protocol=\"rest\"");

        assertThat(refused).isPositive();
        assertThat(after - before).isEqualTo(refused);
        assertThat(probes)
                .as("anonymous probes, far over an anonymous caller's burst")
                .containsOnly(200);
    }

    /** Last: it empties the bucket of the address all these tests call from. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void aFloodOfMadeUpCredentialsFromOneAddressIsLimitedToo() throws Exception {
        // Eight callers at once: one at a time, a loaded machine answers slower than the address's refill rate.
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        ExecutorService flooders = Executors.newFixedThreadPool(8);
        for (int thread = 0; thread < 8; thread++) {
            flooders.submit(() -> {
                for (int i = sent.getAndIncrement(); i < 2000 && !statuses.contains(429); i = sent.getAndIncrement()) {
                    statuses.add(given().auth()
                            .oauth2("wct_made-up-" + i)
                            .get("/api/v1/workers")
                            .statusCode());
                }
            });
        }
        flooders.shutdown();
        assertThat(flooders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        assertThat(statuses).as("each credential is new, the address is not").contains(429);
        assertThat(statuses).doesNotContain(500, 200);
    }

    @Test
    void aGrpcCallerOverItsRateGetsResourceExhausted() {
        List<Status.Code> codes = new ArrayList<>();
        ActionService flooder = io.quarkus.grpc.GrpcClientUtils.attachHeaders(
                actions, dev.workcell.controlplane.testing.TestCredentials.headers("wct_grpc-flooder"));
        for (int i = 0; i < 100 && !codes.contains(Status.Code.RESOURCE_EXHAUSTED); i++) {
            try {
                flooder.listDevices(ListDevicesRequest.getDefaultInstance())
                        .await()
                        .atMost(Duration.ofSeconds(10));
                codes.add(Status.Code.OK);
            } catch (RuntimeException refused) {
                codes.add(Status.fromThrowable(refused).getCode());
            }
        }
        assertThat(codes)
                .contains(Status.Code.RESOURCE_EXHAUSTED)
                .doesNotContain(Status.Code.INTERNAL, Status.Code.UNKNOWN);
    }
}
