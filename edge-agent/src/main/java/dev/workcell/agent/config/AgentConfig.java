package dev.workcell.agent.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The edge agent's settings; defaults and their documentation are in application.properties. */
@ConfigMapping(prefix = "workcell.agent")
public interface AgentConfig {

    /** Identity of the host: its device serial and name. Empty means the machine's hostname. */
    Optional<String> hostName();

    /** Declared target devices, each "name" or "name=serial". Empty means the host is the only target. */
    Optional<List<String>> targets();

    /** Whether the host is a target too. Empty means: only when no targets are declared. */
    Optional<Boolean> serveHost();

    /** Labels added to every device this agent reports (workcell.agent.labels.KEY=VALUE): dimensions submits can ask for. */
    Map<String, String> labels();

    /** Agent software version, sent in Hello. */
    String version();

    /** Where attempts get their working directories. */
    Path workDir();

    /**
     * Presented once, when the agent has no credential yet, for a credential of its own
     * (WORKCELL_AGENT_ENROLLMENT_TOKEN); an admin creates it with POST /api/v1/enrollment-tokens.
     */
    Optional<String> enrollmentToken();

    /** Where the agent keeps its credential (mode 0600); delete it to enroll again. */
    Path credentialFile();

    /** Keep each attempt's working directory instead of removing it. */
    boolean keepWorkDirs();

    /** Where final updates and output files wait for the control plane's acknowledgement; each host name gets its own directory in it. */
    Path outboxDir();

    /** How many live log chunks (at most 16 KiB each) may wait for a slow or broken stream before new ones are dropped. */
    int liveLogQueue();

    /** Timeout of a task that sets none. */
    Duration defaultTimeout();

    /** How many bytes of stdout and of stderr to keep, each. */
    int tailBytes();

    /** How long a terminated process tree gets before it is killed outright. */
    Duration killGrace();

    /** How many tasks run at once, over all targets. */
    int maxParallelTasks();

    /** How often to send a heartbeat on the stream. */
    Duration heartbeatInterval();

    /**
     * How long the stream may bring nothing (the control plane answers every heartbeat) before the
     * agent counts it as broken and reconnects: a stalled network sends no FIN.
     */
    Duration silenceTimeout();

    /** Reconnection to the control plane. */
    Reconnect reconnect();

    /** Finding the devices the agent serves. */
    Discovery discovery();

    /** The built-in EXEC operation. */
    Exec exec();

    /** The command-template operations. */
    Operations operations();

    /** Exponential backoff between connection attempts. */
    interface Reconnect {

        /** Wait before the first reconnection attempt. */
        Duration initialDelay();

        /** Longest wait between attempts. */
        Duration maxDelay();

        /** Wait after the control plane refused the agent (PERMISSION_DENIED, UNAUTHENTICATED): an admin must act first. */
        Duration refusedDelay();
    }

    /** How the agent finds its devices: the host, Android devices through adb, the declared targets. */
    interface Discovery {

        /** How often to look again for devices that came, went or changed state. */
        Duration interval();

        /** Whether to look for Android devices with adb (when adb is found). */
        boolean adbEnabled();

        /** The adb executable: a path, or a name looked up on the PATH. */
        String adb();

        /** How long one probing command (adb, nvidia-smi, lspci) may take. */
        Duration probeTimeout();

        /**
         * How long a ready Android device must stay gone or not ready before it counts as lost (its
         * attempt fails DEVICE_LOST): an adb restart lists devices offline for a moment.
         */
        Duration lossConfirmation();
    }

    /** Settings of the built-in EXEC operation. */
    interface Exec {

        /** Output strings, besides "text file busy", that make a failed EXEC task retryable. */
        Optional<List<String>> retryStrings();

        /** Globs, relative to the working directory, of the files to upload as artifacts after the run. */
        Optional<List<String>> outputs();
    }

    /** The operations run from command templates; one left without a command is not offered. */
    interface Operations {

        OperationTemplate trace();

        OperationTemplate replay();

        OperationTemplate report();
    }

    /** How one operation runs: a command template and what it produces. */
    interface OperationTemplate {

        /** Program and arguments, each a template; empty means the operation is not offered. */
        Optional<List<String>> command();

        /** Template of the path of the file the command produces, reported in the typed output (uploaded when it exists). */
        Optional<String> output();

        /** Globs, relative to the working directory, of the files to upload as artifacts after the run. */
        Optional<List<String>> outputs();

        /** Output strings, besides "text file busy", that make a failed attempt retryable. */
        Optional<List<String>> retryStrings();

        /** Timeout; empty means the agent's default. */
        Optional<Duration> timeout();
    }
}
