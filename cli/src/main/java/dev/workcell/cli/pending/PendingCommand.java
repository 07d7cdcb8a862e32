package dev.workcell.cli.pending;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.BusyDevice;
import dev.workcell.proto.v1.GetPendingRequest;
import dev.workcell.proto.v1.PendingSlice;
import dev.workcell.proto.v1.WhyPending;
import java.io.PrintStream;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell pending: why a queued action waits, or what it does instead. */
@Command(
        name = "pending",
        description = "Why a queued action waits: its matching devices and what holds each, "
                + "its queue position and a rough start; for another action, what it does instead.")
public class PendingCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "ID", description = "The action.")
    String id;

    @Override
    public Integer call() {
        WhyPending why;
        try (ControlPlane controlPlane = connection.open()) {
            why = controlPlane
                    .actions()
                    .pending(GetPendingRequest.newBuilder().setId(id).build());
        }
        output.print(System.out, Json.tree(why), List.of(Json.tree(why)), out -> print(out, why));
        return 0;
    }

    private static void print(PrintStream out, WhyPending why) {
        field(out, "Action", why.getActionId());
        field(out, "Status", why.getStatus().name());
        field(out, "Reason", why.getReason().name());
        field(out, "Why", why.getSummary());
        field(out, "Position", why.getQueuePosition() == 0 ? "" : Integer.toString(why.getQueuePosition()));
        field(out, "Expected start", Times.at(why.getExpectedStart()));
        field(out, "Failing", why.getFailingDimension());
        if (why.getSlicesCount() > 0) {
            field(out, "Slice", why.getSlice() + " until " + Times.at(why.getSliceExpiresAt()));
        }
        for (int i = 0; i < why.getSlicesCount(); i++) {
            PendingSlice slice = why.getSlices(i);
            out.printf(
                    "Slice %d%s %s: %d matching, %d free, %d held, %d busy, %d offline, %d quarantined, %d unapproved, %d draining%n",
                    i,
                    i == why.getSlice() ? " (now)" : "",
                    slice.getDimensionsMap().isEmpty()
                            ? "target " + slice.getTarget()
                            : new TreeMap<>(slice.getDimensionsMap()).toString(),
                    slice.getMatching(),
                    slice.getFree(),
                    slice.getHeld(),
                    slice.getBusy(),
                    slice.getOffline(),
                    slice.getQuarantined(),
                    slice.getUnapproved(),
                    slice.getDraining());
            for (BusyDevice busy : slice.getBusyDevicesList()) {
                out.printf(
                        "  %s runs %s (%s, %s since %s)%s%n",
                        busy.getDeviceName(),
                        busy.getActionId(),
                        busy.getOperation(),
                        busy.getStatus(),
                        Times.at(busy.getSince()),
                        busy.hasExpectedEnd() ? ", until about " + Times.at(busy.getExpectedEnd()) : "");
            }
        }
    }

    private static void field(PrintStream out, String name, String value) {
        if (!value.isEmpty()) {
            out.printf("%-16s %s%n", name + ":", value);
        }
    }
}
