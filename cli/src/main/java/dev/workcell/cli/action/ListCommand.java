package dev.workcell.cli.action;

import com.google.protobuf.Timestamp;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ListActionsRequest;
import dev.workcell.proto.v1.ListActionsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** workcell list: actions, newest first, filtered and paged as the API does. */
@Command(name = "list", aliases = "ls", description = "List actions, newest first.")
public class ListCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Mixin
    FilterOptions filters;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = SinceConverter.class,
            description = "Only actions created since: an RFC 3339 time or how long ago (2h, 30m, 1d).")
    Timestamp since;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "Actions per page (the API's default 50, at most 500).")
    int limit;

    @Option(names = "--page-token", paramLabel = "TOKEN", description = "The next page, as the previous one said.")
    String pageToken = "";

    @Option(names = "--all", description = "Every page.")
    boolean all;

    @Override
    public Integer call() {
        ListActionsRequest.Builder request = filters.list().setPageSize(limit).setPageToken(pageToken);
        if (since != null) {
            request.setSince(since);
        }
        List<Action> actions = new ArrayList<>();
        ListActionsResponse page;
        ListActionsResponse.Builder whole = ListActionsResponse.newBuilder();
        try (ControlPlane controlPlane = connection.open()) {
            do {
                page = controlPlane.actions().list(request.build());
                actions.addAll(page.getActionsList());
                if (whole.getResumeToken().isEmpty()) {
                    whole.setResumeToken(page.getResumeToken());
                }
                request.setPageToken(page.getNextPageToken());
            } while (all && !page.getNextPageToken().isEmpty());
        }
        whole.addAllActions(actions).setNextPageToken(page.getNextPageToken());
        output.print(
                System.out, Json.tree(whole), actions.stream().map(Json::tree).toList(), out -> {
                    ActionTable.of(actions).print(out);
                    if (!whole.getNextPageToken().isEmpty()) {
                        System.err.println("more: add --page-token " + whole.getNextPageToken() + " (or --all)");
                    }
                });
        return 0;
    }
}
