package dev.workcell.cli.connect;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contexts on disk: {@code $XDG_CONFIG_HOME/workcell/config.json} ({@code ~/.config/workcell/}
 * without XDG_CONFIG_HOME). It holds tokens, so it is written with mode 0600, whole (a temporary
 * file renamed over it).
 */
public final class ConfigFile {

    private final Path file;

    public ConfigFile(Path file) {
        this.file = file;
    }

    /** The user's file, as XDG_CONFIG_HOME says. */
    public static ConfigFile ofUser() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new ConfigFile(base.resolve("workcell").resolve("config.json"));
    }

    public Path path() {
        return file;
    }

    public Contexts load() {
        if (!Files.exists(file)) {
            return Contexts.empty();
        }
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Map<String, Contexts.Context> contexts = new TreeMap<>();
            if (root.has("contexts")) {
                root.getAsJsonObject("contexts").entrySet().forEach(entry -> {
                    JsonObject context = entry.getValue().getAsJsonObject();
                    contexts.put(
                            entry.getKey(),
                            new Contexts.Context(text(context, "server"), text(context, "token"), text(context, "ca")));
                });
            }
            return new Contexts(text(root, "current"), new TreeMap<>(contexts));
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new CliException(
                    ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage() + " (fix or delete it)");
        }
    }

    public void save(Contexts contexts) {
        JsonObject root = new JsonObject();
        if (contexts.current() != null) {
            root.addProperty("current", contexts.current());
        }
        JsonObject byName = new JsonObject();
        contexts.byName().forEach((name, context) -> {
            JsonObject saved = new JsonObject();
            saved.addProperty("server", context.server());
            saved.addProperty("token", context.token());
            if (context.ca() != null) {
                saved.addProperty("ca", context.ca());
            }
            byName.add(name, saved);
        });
        root.add("contexts", byName);
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(
                        file.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path written = Files.createTempFile(
                    file.getParent(),
                    "config",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    written, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
            try {
                Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(written, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonObject object, String name) {
        return object.has(name) && !object.get(name).isJsonNull()
                ? object.get(name).getAsString()
                : null;
    }
}
