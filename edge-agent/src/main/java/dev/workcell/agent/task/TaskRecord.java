package dev.workcell.agent.task;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import dev.workcell.agent.process.ProcessStat;

/** What the agent writes down about an attempt that may have processes running: its work dir, its mark, and its session leader once started. */
record TaskRecord(AttemptKey key, Path workDir, TaskMark mark, Optional<ProcessStat> leader) {

    TaskRecord started(Optional<ProcessStat> stat) {
        return new TaskRecord(key, workDir, mark, stat);
    }

    /** How to find the attempt's live processes. */
    TaskProcesses processes() {
        return new TaskProcesses(mark, leader);
    }

    String text() {
        Properties properties = new Properties();
        properties.setProperty("action", key.actionId());
        properties.setProperty("attempt", Integer.toString(key.attempt()));
        properties.setProperty("workDir", workDir.toString());
        properties.setProperty("mark", mark.value());
        leader.ifPresent(stat -> {
            properties.setProperty("pid", Long.toString(stat.pid()));
            properties.setProperty("pgid", Long.toString(stat.pgid()));
            properties.setProperty("session", Long.toString(stat.session()));
            properties.setProperty("startTime", Long.toString(stat.startTime()));
        });
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return text.toString();
    }

    static TaskRecord parse(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Optional<ProcessStat> leader = Optional.ofNullable(properties.getProperty("pid")).map(pid -> new ProcessStat(
                Long.parseLong(pid), 'S', Long.parseLong(properties.getProperty("pgid")),
                Long.parseLong(properties.getProperty("session")), Long.parseLong(properties.getProperty("startTime"))));
        return new TaskRecord(new AttemptKey(required(properties, "action"), Integer.parseInt(required(properties, "attempt"))),
                Path.of(required(properties, "workDir")), new TaskMark(required(properties, "mark")), leader);
    }

    private static String required(Properties properties, String name) throws IOException {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IOException("no " + name);
        }
        return value;
    }
}
