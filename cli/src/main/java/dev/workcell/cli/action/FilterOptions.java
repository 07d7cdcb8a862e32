package dev.workcell.cli.action;

import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.ListActionsRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.WatchActionsRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The API's action filters, as list and watch take them. */
public class FilterOptions {

    @Option(
            names = {"-s", "--status"},
            split = ",",
            paramLabel = "STATUS",
            description =
                    "Only these statuses: QUEUED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED (repeat or comma-separate).")
    List<ActionStatus> statuses = new ArrayList<>();

    @Option(
            names = "--operation",
            split = ",",
            paramLabel = "OPERATION",
            description = "Only these operations: TRACE, REPLAY, REPORT, EXEC.")
    List<Operation> operations = new ArrayList<>();

    @Option(
            names = {"-t", "--target"},
            paramLabel = "DEVICE",
            description = "Only actions for this target: id, serial or name.")
    String target = "";

    @Option(names = "--host", paramLabel = "DEVICE", description = "Only actions on this host: id, serial or name.")
    String host = "";

    boolean any() {
        return !statuses.isEmpty() || !operations.isEmpty() || !target.isEmpty() || !host.isEmpty();
    }

    ListActionsRequest.Builder list() {
        return ListActionsRequest.newBuilder()
                .addAllStatus(statuses)
                .addAllOperation(operations)
                .setTarget(target)
                .setHost(host);
    }

    WatchActionsRequest.Builder watch() {
        return WatchActionsRequest.newBuilder()
                .addAllStatus(statuses)
                .addAllOperation(operations)
                .setTarget(target)
                .setHost(host);
    }
}
