package dev.workcell.cli.action;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
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
            events = controlPlane.actions().events(ListActionEventsRequest.newBuilder().setId(id).build());
        }
        output.print(System.out, Json.tree(events), events.getEventsList().stream().map(Json::tree).toList(), out -> {
            Table table = new Table("SEQ", "AT", "ATTEMPT", "FROM", "TO", "ACTOR", "REASON");
            for (ActionEvent event : events.getEventsList()) {
                table.row(event.getSeq(), Times.at(event.getAt()), event.getAttempt(),
                        event.getFrom() == ActionStatus.ACTION_STATUS_UNSPECIFIED ? "" : event.getFrom(), event.getTo(),
                        event.getActor(), event.getReason());
            }
            table.print(out);
        });
        return 0;
    }
}
