package dev.workcell.controlplane.cluster;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Messages between control-plane replicas over PostgreSQL LISTEN/NOTIFY (no other broker): "a
 * target may have work", "stop this attempt", "this action changed". Each replica acts on what
 * concerns the agents connected to it. A notification sent in a transaction is delivered after commit.
 */
@ApplicationScoped
public class ClusterBus {

    static final String CHANNEL = "workcell_events";

    private final Pool pool;
    private final Vertx vertx;
    private final Replicas replicas;
    private final Map<String, Consumer<List<String>>> handlers = new ConcurrentHashMap<>();
    private PgSubscriber subscriber;

    public ClusterBus(Pool pool, Vertx vertx, Replicas replicas) {
        this.pool = pool;
        this.vertx = vertx;
        this.replicas = replicas;
    }

    /** Handles messages of a kind from other replicas; the arguments follow the kind. */
    public void on(String kind, Consumer<List<String>> handler) {
        handlers.put(kind, handler);
    }

    /** Tells the other replicas; fire and forget (a lost message is repaired by the periodic sweeps). */
    public void tell(String kind, String... arguments) {
        String payload = replicas.id() + " " + kind + " " + String.join(" ", arguments);
        pool.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)").execute(Tuple.of(payload))
                .subscribe().with(ignored -> { }, failure -> Log.warnf("could not notify the other replicas: %s", failure.getMessage()));
    }

    /** Starts listening; reconnects by itself when the database connection drops. */
    public Uni<Void> listen() {
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(config.getValue("quarkus.datasource.username", String.class))
                .setPassword(config.getValue("quarkus.datasource.password", String.class));
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 500L);
        subscriber.channel(CHANNEL).handler(this::dispatch);
        return subscriber.connect();
    }

    public void close() {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    private void dispatch(String payload) {
        List<String> words = List.of(payload.split(" "));
        if (words.size() < 2 || words.get(0).equals(replicas.id())) {
            return;
        }
        Consumer<List<String>> handler = handlers.get(words.get(1));
        if (handler != null) {
            handler.accept(words.subList(2, words.size()));
        }
    }
}
