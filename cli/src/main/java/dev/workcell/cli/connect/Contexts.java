package dev.workcell.cli.connect;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The saved contexts (a server, its token, its CA) by name, and which one is current. */
public record Contexts(String current, SortedMap<String, Context> byName) {

    /** One saved context. */
    public record Context(String server, String token, String ca) {}

    public static Contexts empty() {
        return new Contexts(null, new TreeMap<>());
    }

    public Contexts {
        byName = Collections.unmodifiableSortedMap(new TreeMap<>(byName));
    }

    public Optional<Context> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The context of that name; exit code 4 when there is none. */
    public Context require(String name) {
        return get(name)
                .orElseThrow(() -> new CliException(
                        ExitCodes.NOT_FOUND, "no context '" + name + "' (`workcell context` lists them)"));
    }

    /** These contexts with {@code name} set to {@code context} and made current. */
    public Contexts withCurrent(String name, Context context) {
        SortedMap<String, Context> changed = new TreeMap<>(byName);
        changed.put(name, context);
        return new Contexts(name, changed);
    }

    /** These contexts with {@code name} current; exit code 4 when there is no such context. */
    public Contexts use(String name) {
        require(name);
        return new Contexts(name, byName);
    }

    /** These contexts without {@code name}; exit code 4 when there is no such context. */
    public Contexts without(String name) {
        require(name);
        SortedMap<String, Context> changed = new TreeMap<>(byName);
        changed.remove(name);
        return new Contexts(name.equals(current) ? null : current, changed);
    }
}
