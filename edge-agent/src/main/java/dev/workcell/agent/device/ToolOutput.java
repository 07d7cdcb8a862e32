package dev.workcell.agent.device;

import java.util.List;

/** What a probing tool printed and how it exited; exit code -1 when it could not run or ran out of time. */
record ToolOutput(int exitCode, List<String> stdout, String stderr) {

    ToolOutput {
        stdout = List.copyOf(stdout);
    }

    /** A tool that did not run to its end, with why. */
    static ToolOutput failed(String why) {
        return new ToolOutput(-1, List.of(), why);
    }

    boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * What went wrong, in the tool's own words where it said something: its first error line on
     * stderr ("error: ...", "adb: ..."), else its first line there that is not progress chatter
     * ("* daemon ..."), else its first line of stdout, else the exit code.
     */
    String problem() {
        List<String> said = stderr.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("*"))
                .toList();
        return said.stream()
                .filter(line -> line.startsWith("error:") || line.startsWith("adb:"))
                .findFirst()
                .or(() -> said.stream().findFirst())
                .or(() -> stdout.stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .findFirst())
                .orElse("exit code " + exitCode);
    }
}
