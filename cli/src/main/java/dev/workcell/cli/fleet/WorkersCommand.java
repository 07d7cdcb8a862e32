package dev.workcell.cli.fleet;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.ListWorkersRequest;
import dev.workcell.proto.v1.ListWorkersResponse;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Worker;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell workers: a host's agent serving a target device, live or not, with the device's state and health. */
@Command(name = "workers", description = "Workers (an agent's host serving a target device): live or not, device state and health.")
public class WorkersCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ListWorkersResponse workers;
        try (ControlPlane controlPlane = connection.open()) {
            workers = controlPlane.actions().listWorkers(ListWorkersRequest.getDefaultInstance());
        }
        Instant now = Instant.now();
        output.print(System.out, Json.tree(workers), workers.getWorkersList().stream().map(Json::tree).toList(), out -> {
            Table table = new Table("HOST", "TARGET", "LIVE", "STATE", "HEALTH", "OPERATIONS", "LAST SEEN", "ID");
            for (Worker worker : workers.getWorkersList()) {
                table.row(worker.getHostName(), worker.getTargetName(), worker.getLive() ? "yes" : "no", worker.getState(),
                        worker.getHealth(), worker.getOperationsList().stream().map(Operation::name).collect(Collectors.joining(",")),
                        Times.age(worker.getLastSeen(), now), worker.getId());
            }
            table.print(out);
        });
        return 0;
    }
}
