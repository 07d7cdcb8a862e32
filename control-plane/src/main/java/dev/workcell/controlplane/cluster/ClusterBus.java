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
 * Messages between control-plane replicas over PostgreSQL LISTEN/NOTIFY (no other broker): the
 * {@link ClusterMessage}s, such as "a target may have work", "stop this attempt", "these actions
 * changed". Each replica acts on what concerns the agents connected to it. A notification sent in a
 * transaction is delivered after commit. A replica never handles its own messages.
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
    private final Map<Class<?>, Consumer<ClusterMessage>> handlers = new ConcurrentHashMap<>();
    /** Escaped ids waiting for {@link #flush}, by kind. */
    private final Map<String, List<String>> pending = new java.util.HashMap<>();

    private boolean flushScheduled;
    private PgSubscriber subscriber;

    public ClusterBus(Pool pool, Vertx vertx, Replicas replicas) {
        this.pool = pool;
        this.vertx = vertx;
        this.replicas = replicas;
    }

    /** Handles the messages of one type from other replicas. */
    public <M extends ClusterMessage> void on(Class<M> type, Consumer<? super M> handler) {
        handlers.put(type, message -> handler.accept(type.cast(message)));
    }

    /** Tells the other replicas; fire and forget (a lost message is repaired by the periodic sweeps). */
    public void tell(ClusterMessage message) {
        notify(ClusterMessageCodec.encode(message));
    }

    /**
     * Tells the other replicas about many things of one kind at once: the ids of messages of one
     * type are collected for {@link #BATCH_WINDOW} and sent in as few notifications as fit
     * PostgreSQL's 8000-byte payload.
     */
    public void tellSoon(ClusterMessage.Ids message) {
        String kind = ClusterMessageCodec.kindOf(message);
        synchronized (pending) {
            message.ids()
                    .forEach(id -> pending.computeIfAbsent(kind, k -> new ArrayList<>())
                            .add(ClusterMessageCodec.escape(id)));
            if (!flushScheduled) {
                flushScheduled = true;
                vertx.setTimer(BATCH_WINDOW.toMillis(), ignored -> flush());
            }
        }
    }

    private void notify(String text) {
        String payload = replicas.id() + " " + text;
        pool.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)")
                .execute(Tuple.of(payload))
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> Log.warnf("could not notify the other replicas: %s", failure.getMessage()));
    }

    private void flush() {
        Map<String, List<String>> batch;
        synchronized (pending) {
            batch = new java.util.HashMap<>(pending);
            pending.clear();
            flushScheduled = false;
        }
        batch.forEach((kind, ids) -> {
            List<String> chunk = new ArrayList<>();
            int length = 0;
            for (String id : ids) {
                if (length + id.length() + 1 > MAX_ARGUMENTS_LENGTH) {
                    notify(ClusterMessageCodec.text(kind, chunk));
                    chunk.clear();
                    length = 0;
                }
                chunk.add(id);
                length += id.length() + 1;
            }
            if (!chunk.isEmpty()) {
                notify(ClusterMessageCodec.text(kind, chunk));
            }
        });
    }

    /** Starts listening; reconnects by itself when the database connection drops. */
    public Uni<Void> listen() {
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(
                        config.getValue("quarkus.datasource.reactive.url", String.class))
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
        int afterSender = payload.indexOf(' ');
        if (afterSender < 0 || payload.substring(0, afterSender).equals(replicas.id())) {
            return;
        }
        ClusterMessage message;
        try {
            message = ClusterMessageCodec.decode(payload.substring(afterSender + 1));
        } catch (IllegalArgumentException unreadable) {
            Log.warnf("ignored a message from another replica: %s", unreadable.getMessage());
            return;
        }
        Consumer<ClusterMessage> handler = handlers.get(message.getClass());
        if (handler != null) {
            handler.accept(message);
        }
    }
}
