package dev.workcell.cli.action;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.proto.v1.SubmitActionRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * workcell submit json: a request as JSON, or an action as `workcell get -o json` prints it, so
 * that an action can be edited and submitted again through a pipe.
 */
@Command(
        name = "json",
        description = {
            "Submit a request read as JSON: a SubmitActionRequest, or an action as `get -o json` prints it.",
            "  workcell get ID -o json | jq '.input.exec.argv += [\"-v\"]' | workcell submit json - --force"
        })
public class SubmitJsonCommand implements Callable<Integer> {

    @Mixin
    Submission submission;

    @Parameters(paramLabel = "FILE", description = "The JSON file, - for stdin.")
    String file;

    @Override
    public Integer call() {
        String json;
        try {
            json = "-".equals(file)
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        SubmitActionRequest.Builder request = SubmitActionRequest.newBuilder();
        try {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            if (object.has("id")) {
                // an action's idempotency key names that action: a resubmitted (edited) copy is a new one
                object.remove("idempotencyKey");
            }
            JsonFormat.parser().ignoringUnknownFields().merge(object.toString(), request);
        } catch (InvalidProtocolBufferException | JsonParseException | IllegalStateException e) {
            throw new CliException(ExitCodes.USAGE, "not a request or an action as JSON: " + e.getMessage());
        }
        return submission.run(request.build());
    }
}
