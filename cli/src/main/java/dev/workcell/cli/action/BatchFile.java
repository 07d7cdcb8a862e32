package dev.workcell.cli.action;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.proto.v1.SubmitActionRequest;
import java.util.ArrayList;
import java.util.List;

/** The submits of a batch file: a JSON array of SubmitActionRequest, or JSON lines of them (one a line, blank lines skipped). */
final class BatchFile {

    private BatchFile() {}

    static List<SubmitActionRequest> parse(String text) {
        List<SubmitActionRequest> items = new ArrayList<>();
        if (text.stripLeading().startsWith("[")) {
            JsonArray array = element(text, "the JSON array").getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                items.add(request(array.get(i), "item " + (i + 1)));
            }
            return items;
        }
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                String where = "line " + (i + 1);
                items.add(request(element(lines.get(i), where), where));
            }
        }
        return items;
    }

    private static JsonElement element(String json, String where) {
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new CliException(ExitCodes.USAGE, where + " is not JSON: " + e.getMessage());
        }
    }

    private static SubmitActionRequest request(JsonElement json, String where) {
        SubmitActionRequest.Builder request = SubmitActionRequest.newBuilder();
        try {
            JsonFormat.parser().merge(json.toString(), request);
        } catch (InvalidProtocolBufferException e) {
            throw new CliException(ExitCodes.USAGE, where + " is not a submit request: " + e.getMessage());
        }
        return request.build();
    }
}
