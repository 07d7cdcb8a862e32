package dev.workcell.cli.output;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.protobuf.MessageOrBuilder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A list the control plane answered, printed as {@code -o} asks: a {@link Table} with one row per
 * item and the columns named here, the API's whole answer as JSON, or each item as a JSON line.
 */
public final class Listing<T> {

    private record Column<T>(String header, Function<? super T, ?> cell) {}

    private final JsonElement answer;
    private final List<T> items;
    private final Function<? super T, JsonElement> json;
    private final List<Column<T>> columns = new ArrayList<>();

    private Listing(JsonElement answer, List<T> items, Function<? super T, JsonElement> json) {
        this.answer = answer;
        this.items = items;
        this.json = json;
    }

    /** The items of a gRPC answer. */
    public static <T extends MessageOrBuilder> Listing<T> of(MessageOrBuilder answer, List<T> items) {
        return new Listing<>(Json.tree(answer), items, Json::tree);
    }

    /** Items printed as a JSON array with {@code -o json}, for an answer that holds more than the list. */
    public static <T extends MessageOrBuilder> Listing<T> of(List<T> items) {
        return new Listing<>(Json.array(items.stream().map(Json::tree).toList()), items, Json::tree);
    }

    /** The items of a REST answer that is a JSON array. */
    public static Listing<JsonElement> of(JsonArray answer) {
        return new Listing<>(answer, answer.asList(), Function.identity());
    }

    /** A column of the table: its header, and what each item shows in it. */
    public Listing<T> column(String header, Function<? super T, ?> cell) {
        columns.add(new Column<>(header, cell));
        return this;
    }

    public void print(OutputOptions output, PrintStream out) {
        output.print(out, answer, items.stream().map(json).toList(), people -> table().print(people));
    }

    private Table table() {
        Table table = new Table(columns.stream().map(Column::header).toArray(String[]::new));
        for (T item : items) {
            table.row(columns.stream().map(column -> column.cell().apply(item)).toArray());
        }
        return table;
    }
}
