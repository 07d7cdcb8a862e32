package dev.workcell.controlplane.cluster;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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
    static final java.time.Duration BATCH_WINDOW = java.time.Duration.ofMillis(20);
    /** Room left for arguments in a notification payload (PostgreSQL's limit is 8000 bytes). */
    static final int MAX_ARGUMENTS_LENGTH = 7000;

    private final Pool pool;
    private final Vertx vertx;
    private final Replicas replicas;
    private final Map<String, Consumer<List<String>>> handlers = new ConcurrentHashMap<>();
    private final Map<String, List<String>> pending = new java.util.HashMap<>();
    private boolean flushScheduled;
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

    /**
     * Tells the other replicas about many things of one kind at once: arguments are collected for
     * {@link #BATCH_WINDOW} and sent in as few notifications as fit PostgreSQL's 8000-byte payload.
     */
    public void tellSoon(String kind, String argument) {
        synchronized (pending) {
            pending.computeIfAbsent(kind, k -> new ArrayList<>()).add(argument);
            if (!flushScheduled) {
                flushScheduled = true;
                vertx.setTimer(BATCH_WINDOW.toMillis(), ignored -> flush());
            }
        }
    }

    private void flush() {
        Map<String, List<String>> batch;
        synchronized (pending) {
            batch = new java.util.HashMap<>(pending);
            pending.clear();
            flushScheduled = false;
        }
        batch.forEach((kind, arguments) -> {
            List<String> chunk = new ArrayList<>();
            int length = 0;
            for (String argument : arguments) {
                if (length + argument.length() + 1 > MAX_ARGUMENTS_LENGTH) {
                    tell(kind, chunk.toArray(String[]::new));
                    chunk.clear();
                    length = 0;
                }
                chunk.add(argument);
                length += argument.length() + 1;
            }
            if (!chunk.isEmpty()) {
                tell(kind, chunk.toArray(String[]::new));
            }
        });
    }

    /** Starts listening; reconnects by itself when the database connection drops. */
    public Uni<Void> listen() {
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(config.getValue("quarkus.datasource.username", String.class))
                .setPassword(config.getValue("quarkus.datasource.password", String.class))
                .addProperty("application_name", replicas.connectionName());
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 500L);
        subscriber.channel(CHANNEL).handler(this::dispatch);
        return subscriber.connect();
    }

    /** Whether the LISTEN connection is up now (it reconnects by itself after a drop). */
    public boolean listening() {
        PgSubscriber current = subscriber;
        return current != null && !current.closed() && current.actualConnection() != null;
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
