package dev.workcell.cli.fleet;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
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
@Command(
        name = "workers",
        description = "Workers (an agent's host serving a target device): live or not, device state and health.")
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
        Listing.of(workers, workers.getWorkersList())
                .column("HOST", Worker::getHostName)
                .column("TARGET", Worker::getTargetName)
                .column("LIVE", worker -> worker.getLive() ? "yes" : "no")
                .column("STATE", Worker::getState)
                .column("HEALTH", Worker::getHealth)
                .column(
                        "OPERATIONS",
                        worker -> worker.getOperationsList().stream()
                                .map(Operation::name)
                                .collect(Collectors.joining(",")))
                .column("LAST SEEN", worker -> Times.age(worker.getLastSeen(), now))
                .column("ID", Worker::getId)
                .print(output, System.out);
        return 0;
    }
}
