package dev.workcell.agent.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/**
 * The variable every process of an attempt carries in its environment, {@code WORKCELL_TASK=<attempt>/<random>}:
 * inherited by whatever the task starts, it finds the processes that left the attempt's process group
 * or session, as Jenkins' ProcessTreeKiller does with its cookie.
 */
record TaskMark(String value) {

    static final String VARIABLE = "WORKCELL_TASK";

    static TaskMark of(AttemptKey key) {
        return new TaskMark(key + "/" + UUID.randomUUID());
    }

    /** Whether the process started with this mark in its environment; false when it is gone or not ours to read. */
    boolean carriedBy(long pid) {
        try {
            byte[] environment = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            return contains(environment, ('\0' + VARIABLE + "=" + value + '\0').getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** Whether the NUL-separated environment holds the entry, which starts with a NUL (the first entry has none before it). */
    private static boolean contains(byte[] environment, byte[] entry) {
        byte[] padded = new byte[environment.length + 1];
        System.arraycopy(environment, 0, padded, 1, environment.length);
        for (int i = 0; i + entry.length <= padded.length; i++) {
            if (padded[i] == 0 && Arrays.equals(padded, i, i + entry.length, entry, 0, entry.length)) {
                return true;
            }
        }
        return false;
    }
}
