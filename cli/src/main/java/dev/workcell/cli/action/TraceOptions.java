package dev.workcell.cli.action;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The input of the operations that read a trace: replay and report. */
public class TraceOptions {

    @Option(names = "--trace", required = true, description = "The trace: a path on the agent or artifact:<sha256>.")
    String trace;

    @Option(names = "--api", description = "gles or vulkan.")
    String api = "";

    @Option(
            names = "--gapir-device",
            paramLabel = "DEVICE",
            description = "Where the replay runs: host or a device serial.")
    String gapirDevice = "";

    @Option(
            names = "--param",
            paramLabel = "NAME=VALUE",
            description = "An extra parameter of the agent's command (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();
}
