package dev.workcell.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.cluster.ClusterMessage.ActionsChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.Kick;
import dev.workcell.controlplane.cluster.ClusterMessage.StopAttempt;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two more replicas' buses beside the application's, over the test database's LISTEN/NOTIFY. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ClusterBusTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    WorkcellConfig config;

    private ClusterBus sender;
    private ClusterBus receiver;

    @BeforeEach
    void listen() {
        sender = new ClusterBus(pool, vertx, new Replicas(pool, config));
        receiver = new ClusterBus(pool, vertx, new Replicas(pool, config));
        sender.listen().await().atMost(Duration.ofSeconds(10));
        receiver.listen().await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.listening() && receiver.listening());
    }

    @AfterEach
    void close() {
        sender.close();
        receiver.close();
    }

    @Test
    void aTypedMessageReachesTheHandlersOfItsTypeOnAnotherReplicaButNotItsSender() {
        Queue<StopAttempt> received = new ConcurrentLinkedQueue<>();
        Queue<StopAttempt> echoed = new ConcurrentLinkedQueue<>();
        Queue<Kick> otherType = new ConcurrentLinkedQueue<>();
        receiver.on(StopAttempt.class, received::add);
        receiver.on(Kick.class, otherType::add);
        sender.on(StopAttempt.class, echoed::add);
        StopAttempt stop = new StopAttempt("emulator 5554", "a+b%20 «β»", 3);

        sender.tell(stop);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).containsExactly(stop));
        assertThat(echoed).as("the sender's own handler").isEmpty();
        assertThat(otherType).as("the handler of another type").isEmpty();
    }

    @Test
    void idsToldSoonArriveAllGatheredIntoNotificationsThatEachFitAPayload() {
        Set<String> received = ConcurrentHashMap.newKeySet();
        Queue<ActionsChanged> notifications = new ConcurrentLinkedQueue<>();
        receiver.on(ActionsChanged.class, changed -> {
            notifications.add(changed);
            received.addAll(changed.ids());
        });
        List<String> ids = IntStream.range(0, 600)
                .mapToObj(i -> "action " + i + " " + "x".repeat(30))
                .toList();

        ids.forEach(id -> sender.tellSoon(new ActionsChanged(List.of(id))));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(ids));
        assertThat(notifications).as("gathered, not one notification per id").hasSizeLessThan(ids.size() / 10);
        assertThat(notifications)
                .allSatisfy(changed -> assertThat(
                                ClusterMessageCodec.encode(changed).length())
                        .as("a payload within PostgreSQL's 8000 bytes")
                        .isLessThanOrEqualTo(ClusterBus.MAX_ARGUMENTS_LENGTH + 20));
    }
}
