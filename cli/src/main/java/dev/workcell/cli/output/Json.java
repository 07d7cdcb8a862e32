package dev.workcell.cli.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** JSON as the REST API writes it: protobuf messages in their canonical JSON mapping, every field printed. */
public final class Json {

    private static final JsonFormat.Printer PROTO =
            JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
    private static final Gson PRETTY =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {}

    public static JsonElement tree(MessageOrBuilder message) {
        try {
            return JsonParser.parseString(PROTO.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static JsonArray array(Iterable<JsonElement> items) {
        JsonArray array = new JsonArray();
        items.forEach(array::add);
        return array;
    }

    public static String pretty(JsonElement json) {
        return PRETTY.toJson(json);
    }

    public static String line(JsonElement json) {
        return COMPACT.toJson(json);
    }

    /** An array field of strings as "a, b", or "" when it is absent. */
    public static String joined(JsonElement object, String field) {
        JsonElement value = object.getAsJsonObject().get(field);
        if (value == null || !value.isJsonArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        value.getAsJsonArray()
                .forEach(item -> text.append(text.length() == 0 ? "" : ", ").append(item.getAsString()));
        return text.toString();
    }

    /** A time field (RFC 3339) to the second, in UTC: "2026-11-28T10:00:05Z"; "" when absent. */
    public static String time(JsonElement object, String field) {
        String text = text(object, field);
        try {
            return text.isEmpty()
                    ? ""
                    : OffsetDateTime.parse(text)
                            .toInstant()
                            .truncatedTo(ChronoUnit.SECONDS)
                            .toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }

    /** A string field of a JSON object, or "" when it is absent or null. */
    public static String text(JsonElement object, String field) {
        JsonElement value = object.getAsJsonObject().get(field);
        return value == null || value.isJsonNull() ? "" : value.isJsonPrimitive() ? value.getAsString() : line(value);
    }
}
