package dev.workcell.cli.action;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.ActionEvent;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.ListActionEventsRequest;
import dev.workcell.proto.v1.ListActionEventsResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell events: an action's history from the ledger, one transition a row. */
@Command(name = "events", description = "An action's history: each transition, with its reason and who caused it.")
public class EventsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "ID", description = "The action.")
    String id;

    @Override
    public Integer call() {
        ListActionEventsResponse events;
        try (ControlPlane controlPlane = connection.open()) {
            events = controlPlane
                    .actions()
                    .events(ListActionEventsRequest.newBuilder().setId(id).build());
        }
        Listing.of(events, events.getEventsList())
                .column("SEQ", ActionEvent::getSeq)
                .column("AT", event -> Times.at(event.getAt()))
                .column("ATTEMPT", ActionEvent::getAttempt)
                .column(
                        "FROM",
                        event -> event.getFrom() == ActionStatus.ACTION_STATUS_UNSPECIFIED ? "" : event.getFrom())
                .column("TO", ActionEvent::getTo)
                .column("ACTOR", ActionEvent::getActor)
                .column("REASON", ActionEvent::getReason)
                .print(output, System.out);
        return 0;
    }
}
