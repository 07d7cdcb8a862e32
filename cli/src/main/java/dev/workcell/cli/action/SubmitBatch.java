package dev.workcell.cli.action;

import com.google.gson.JsonElement;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import dev.workcell.proto.v1.SubmitActionResult;
import dev.workcell.proto.v1.SubmitActionsRequest;
import dev.workcell.proto.v1.SubmitActionsResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;

/** workcell submit --batch FILE: the file's submits in one call, one result line per item; exit 1 when any was refused. */
public class SubmitBatch {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    public int run(String file) {
        SubmitActionsRequest request = SubmitActionsRequest.newBuilder()
                .addAllItems(BatchFile.parse(read(file)))
                .build();
        SubmitActionsResponse response;
        try (ControlPlane controlPlane = connection.open()) {
            response = controlPlane.actions().submitBatch(request);
        }
        List<JsonElement> results =
                response.getResultsList().stream().map(Json::tree).toList();
        output.print(
                System.out, Json.tree(response), results, out -> table(response).print(out));
        return response.getResultsList().stream().anyMatch(SubmitActionResult::hasRefused)
                ? ExitCodes.FAILED
                : ExitCodes.OK;
    }

    private static String read(String file) {
        try {
            return "-".equals(file)
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Table table(SubmitActionsResponse response) {
        Table table = new Table("ITEM", "RESULT", "ID", "TARGET", "STATUS");
        for (int i = 0; i < response.getResultsCount(); i++) {
            SubmitActionResult result = response.getResults(i);
            switch (result.getOutcomeCase()) {
                case CREATED ->
                    table.row(
                            i,
                            "created",
                            result.getCreated().getId(),
                            ActionTexts.target(result.getCreated()),
                            ActionTexts.status(result.getCreated()));
                case EXISTING ->
                    table.row(
                            i,
                            "existing",
                            result.getExisting().getId(),
                            ActionTexts.target(result.getExisting()),
                            ActionTexts.status(result.getExisting()));
                default ->
                    table.row(
                            i,
                            "refused",
                            result.getRefused().getField(),
                            "",
                            result.getRefused().getError());
            }
        }
        return table;
    }
}
