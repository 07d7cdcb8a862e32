package dev.workcell.cli.output;

import com.google.gson.JsonElement;
import java.io.PrintStream;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The -o option, and printing in the chosen format. */
public class OutputOptions {

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description =
                    "table (for people), json (the API's answer) or jsonl (one item a line). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    public OutputFormat format() {
        return format;
    }

    public boolean table() {
        return format == OutputFormat.TABLE;
    }

    /** Prints {@code whole} as JSON, each of {@code items} as a JSON line, or the view for people. */
    public void print(
            PrintStream out, JsonElement whole, Iterable<JsonElement> items, Consumer<PrintStream> forPeople) {
        switch (format) {
            case TABLE -> forPeople.accept(out);
            case JSON -> out.println(Json.pretty(whole));
            case JSONL -> items.forEach(item -> out.println(Json.line(item)));
        }
        out.flush();
    }
}
