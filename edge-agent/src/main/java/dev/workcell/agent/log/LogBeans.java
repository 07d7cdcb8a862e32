package dev.workcell.agent.log;

import dev.workcell.agent.config.AgentConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the live logs, sending to whatever stream the agent has open. */
public class LogBeans {

    @Produces
    @Singleton
    LiveLogs liveLogs(LogSink sink, AgentConfig config) {
        return new LiveLogs(sink, config.liveLogQueue());
    }

    void close(@Disposes LiveLogs logs) {
        logs.close();
    }
}
