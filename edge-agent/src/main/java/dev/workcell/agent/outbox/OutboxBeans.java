package dev.workcell.agent.outbox;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.device.HostDevice;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Opens the agent's outbox: {@code <outbox-dir>/<host name>}, so agents that share a machine and a
 * work dir each keep their own, and a restarted agent finds what it left.
 */
public class OutboxBeans {

    @Produces
    @Singleton
    Outbox outbox(AgentConfig config) {
        try {
            return Outbox.open(config.outboxDir().resolve(hostDirectory(config)));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the outbox in " + config.outboxDir() + ": " + e.getMessage(), e);
        }
    }

    /** The agent's host name as a directory name: what it keeps apart from other agents sharing its directories goes there. */
    public static String hostDirectory(AgentConfig config) {
        String host = config.hostName().orElseGet(HostDevice::machineName).replaceAll("[^A-Za-z0-9_.-]", "_");
        return host.startsWith(".") ? "_" + host : host;
    }

    void close(@Disposes Outbox outbox) throws IOException {
        outbox.close();
    }
}
