package dev.workcell.agent.task;

import dev.workcell.agent.process.ProcessStat;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What the agent writes down about an attempt that may have processes running: its work dir, its
 * mark, and once started its session leader and the cgroup it runs in, if it has one.
 */
record TaskRecord(AttemptKey key, Path workDir, TaskMark mark, Optional<ProcessStat> leader, Optional<Path> cgroup) {

    TaskRecord started(Optional<ProcessStat> stat, Optional<Path> itsCgroup) {
        return new TaskRecord(key, workDir, mark, stat, itsCgroup);
    }

    /** How to find the attempt's live processes. */
    TaskProcesses processes() {
        return new TaskProcesses(mark, leader, cgroup);
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
        cgroup.ifPresent(path -> properties.setProperty("cgroup", path.toString()));
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
        Optional<ProcessStat> leader = Optional.ofNullable(properties.getProperty("pid"))
                .map(pid -> new ProcessStat(
                        Long.parseLong(pid),
                        'S',
                        Long.parseLong(properties.getProperty("pgid")),
                        Long.parseLong(properties.getProperty("session")),
                        Long.parseLong(properties.getProperty("startTime"))));
        return new TaskRecord(
                new AttemptKey(required(properties, "action"), Integer.parseInt(required(properties, "attempt"))),
                Path.of(required(properties, "workDir")),
                new TaskMark(required(properties, "mark")),
                leader,
                Optional.ofNullable(properties.getProperty("cgroup")).map(Path::of));
    }

    private static String required(Properties properties, String name) throws IOException {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IOException("no " + name);
        }
        return value;
    }
}
