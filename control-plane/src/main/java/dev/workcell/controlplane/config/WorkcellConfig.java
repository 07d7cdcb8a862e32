package dev.workcell.controlplane.config;

import dev.workcell.proto.v1.FailureClass;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings of the control plane, under {@code workcell.*}. */
@ConfigMapping(prefix = "workcell")
public interface WorkcellConfig {

    Retry retry();

    Lease lease();

    Limits limits();

    Artifacts artifacts();

    Deadlines deadlines();

    Liveness liveness();

    Cluster cluster();

    Auth auth();

    Devices devices();

    Tls tls();

    Quarantine quarantine();

    Scheduler scheduler();

    LiveQueue liveQueue();

    /** The table of live actions (README "The hot path's schema"). */
    interface LiveQueue {
        /**
         * How often its dead rows are counted, and it is vacuumed when they are enough: autovacuum visits a
         * database once a minute, whatever the table's threshold.
         */
        @WithDefault("5s")
        Duration vacuumInterval();
    }

    /**
     * Which waiting action goes first (README "Priority, fair share and quotas"): each action is due
     * at its submitter's fair-share start plus priority x {@code priority-step}; each action a
     * submitter sends moves its start {@code share-unit} later.
     */
    interface Scheduler {
        /** The device time one action is counted for in the fair share between submitters. */
        @WithDefault("60s")
        Duration shareUnit();

        /** How much later one priority level (of 0 ... 255) makes an action due. */
        @WithDefault("60s")
        Duration priorityStep();

        /**
         * How long a gang (an action asking for companion devices) may wait before the devices that
         * could serve it stop taking single-device work, so that they come free together: without
         * it, a gang on a busy host waits for as long as single actions keep one of its devices busy.
         */
        @WithDefault("30s")
        Duration gangReserveAfter();
    }

    /** Devices kept from work by their own infrastructure failures until a probation probe passes (README "Quarantine"). */
    interface Quarantine {
        /**
         * When a device is quarantined: per failure class, how many failed attempts within how long
         * (e.g. {@code workcell.quarantine.failures.device-lost.attempts=3}). TASK_FAILED, the user's
         * own command failing, is never counted, whatever is set here.
         */
        @WithDefaults
        Map<FailureClass, Threshold> failures();

        /** How often failures are counted, ended quarantines released and probes judged. */
        @WithDefault("5s")
        Duration sweepInterval();

        Probe probe();

        /** A device is quarantined after {@code attempts} failed attempts of one class within {@code window}. */
        interface Threshold {
            @WithDefault("3")
            int attempts();

            @WithDefault("15m")
            Duration window();
        }

        /** The action run on a quarantined device to see whether it works again: an EXEC of a harmless command. */
        interface Probe {
            /** How long after the quarantine (or after a probe that did not pass) the next probe is submitted. */
            @WithDefault("5m")
            Duration delay();

            /** The command for a device that is not an Android device (run on its host). */
            @WithDefault("true")
            List<String> command();

            /** The command for an Android device (its agent sets ANDROID_SERIAL to the device's serial). */
            @WithDefault("adb,shell,true")
            List<String> androidCommand();

            /** How long a probe may run, in seconds. */
            @WithDefault("60")
            int timeoutSeconds();
        }
    }

    /** Transport security beyond the server certificate (README, TLS). */
    interface Tls {
        /** Agents must present a client certificate signed by a CA of the server's trust store. */
        @WithDefault("false")
        boolean requireAgentCertificate();
    }

    /** Which devices get work. */
    interface Devices {
        /** New devices get no work until an admin approves them (POST /api/v1/devices/{id}/approve). */
        @WithDefault("false")
        boolean requireApproval();
    }

    /** Who may call. */
    interface Auth {
        /** A secret that becomes an admin token at start-up, for a fresh install; unset in production once tokens exist. */
        java.util.Optional<String> bootstrapAdminToken();

        /** How long a dashboard sign-in lasts (the token it was made with must stay live too). */
        @WithDefault("12h")
        Duration sessionLifetime();
    }

    /** Several control-plane replicas on one database. */
    interface Cluster {
        /** A replica not seen for this long is dead: its workers go offline, their attempts start their grace. */
        @WithDefault("10s")
        Duration replicaTimeout();
    }

    /** Defaults of an action's deadlines, when its submit sets none. */
    interface Deadlines {
        /** How long an action may wait in the queue before it EXPIRES. */
        @WithDefault("24h")
        Duration queue();

        /** How long one attempt may run before it fails TIMED_OUT and is stopped. */
        @WithDefault("2h")
        Duration execution();
    }

    /** When an agent that stays silent counts as gone. */
    interface Liveness {
        /** An agent stream with no message (heartbeats come every 5 s) for this long is closed. */
        @WithDefault("15s")
        Duration silence();

        /**
         * A live worker's {@code lastSeen} is written again by a heartbeat only once it is this old: with
         * 10,000 devices heartbeating every 5 s, writing it on each heartbeat cost PostgreSQL 10 % of a core.
         */
        @WithDefault("30s")
        Duration lastSeenResolution();
    }

    /** Action-level retry of RETRYABLE failures. */
    interface Retry {
        /** Total attempts, the first included. */
        @WithDefault("4")
        int maxAttempts();

        /** Delay before the second attempt; doubles for each later one. */
        @WithDefault("200ms")
        Duration delay();

        @WithDefault("30s")
        Duration maxDelay();

        /** Random extra delay, up to this much. */
        @WithDefault("100ms")
        Duration jitter();

        /**
         * Failure classes retried with backoff. A lost worker (WORKER_LOST) is always queued again
         * by the lease rules; TASK_FAILED, TIMED_OUT and AGENT_ERROR fail at once unless listed.
         */
        @WithDefault("RETRYABLE,DEVICE_LOST")
        java.util.Set<dev.workcell.proto.v1.FailureClass> retriedClasses();
    }

    /** How long a disconnected worker keeps its attempts. */
    interface Lease {
        @WithDefault("30s")
        Duration grace();

        @WithDefault("1s")
        Duration sweepInterval();
    }

    /** Artifact storage. */
    interface Artifacts {
        /** Largest artifact accepted; a bigger upload is refused when it starts. */
        @WithDefault("2147483648")
        long maxBytes();

        /** Largest chunk accepted in one upload message. */
        @WithDefault("1048576")
        int maxChunkBytes();
    }

    /** Input limits. */
    interface Limits {
        @WithDefault("65536")
        int maxInputBytes();

        /** REST and gRPC calls per second of one credential (or of one address without one), on average. */
        @WithDefault("200")
        int requestsPerSecond();

        /** Calls one credential may make at once above the average. */
        @WithDefault("400")
        int requestBurst();

        /** Live log chunks per second of one agent stream; more are dropped (the final tails stay complete). */
        @WithDefault("200")
        int logChunksPerSecond();

        /** Items one batch submit may hold (POST /api/v1/actions:batch, ActionService.SubmitBatch); more is refused whole. */
        @WithDefault("1000")
        int maxBatchItems();

        /**
         * Changes of campaign work a campaign grid watch over SSE may miss while its client does not read
         * (its socket is full), and cells a gRPC WatchGrid may send while its client does not read; then
         * the watch is cut off, as an action watch is when its buffer overflows.
         */
        @WithDefault("4096")
        int gridWatchMissedChanges();
    }
}
