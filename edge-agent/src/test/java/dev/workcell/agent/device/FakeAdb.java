package dev.workcell.agent.device;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A fake adb for tests: the script {@code adb/fake-adb.sh} with the recorded outputs beside it in a
 * directory, and the file of "plugged" serials it reads, which a test rewrites to plug and unplug devices.
 */
public final class FakeAdb {

    /** A Pixel 8, ready. */
    public static final String PIXEL = "37211FDJH008K2";
    /** An emulator, ready. */
    public static final String EMULATOR = "emulator-5554";
    /** A phone whose owner has not accepted this host's key yet. */
    public static final String UNAUTHORIZED = "R5CT21ABCDE";

    private static final List<String> RECORDINGS =
            List.of("devices-l.txt", "getprop-" + PIXEL + ".txt", "getprop-" + EMULATOR + ".txt");

    private final Path dir;

    private FakeAdb(Path dir) {
        this.dir = dir;
    }

    /** Puts the fake and its recordings into the directory, with no device plugged and the server up. */
    public static FakeAdb install(Path dir) {
        try {
            Files.createDirectories(dir);
            copy("fake-adb.sh", dir.resolve("adb"));
            for (String recording : RECORDINGS) {
                copy(recording, dir.resolve(recording));
            }
            dir.resolve("adb").toFile().setExecutable(true);
            FakeAdb adb = new FakeAdb(dir);
            adb.plug();
            adb.listOffline();
            adb.serverUp();
            adb.awaitRunnable();
            return adb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the script can be run: while another thread forks, its child holds the descriptor
     * the script was written through for a moment, and exec fails with "Text file busy" (ETXTBSY).
     */
    private void awaitRunnable() {
        await().atMost(Duration.ofSeconds(5))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    new ProcessBuilder(executable().toString(), "version")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor();
                    return true;
                });
    }

    /** The fake adb for a directory it was installed in. */
    public static FakeAdb in(Path dir) {
        return new FakeAdb(dir);
    }

    public Path executable() {
        return dir.resolve("adb");
    }

    /** Makes exactly these devices plugged. */
    public void plug(String... serials) {
        write("plugged", List.of(serials));
    }

    /** Replaces one of the fake's files at once, so that adb never reads half of it. */
    private void write(String name, List<String> lines) {
        try {
            Path next = dir.resolve(name + ".next");
            Files.write(next, lines);
            Files.move(next, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes adb list these plugged devices offline, as it lists a device it is reconnecting to, until called again. */
    public void listOffline(String... serials) {
        write("offline", List.of(serials));
    }

    /** Makes the next "adb devices" list this plugged device offline, as the first listing after an adb restart can. */
    public void listOfflineOnce(String serial) {
        write("offline-once", List.of(serial));
    }

    /** Whether the offline listing asked for with {@link #listOfflineOnce} has been given. */
    public boolean offlineOnceListed() {
        return !Files.exists(dir.resolve("offline-once")) && !Files.exists(dir.resolve("offline-once.now"));
    }

    /** Makes adb fail as it does when its server cannot start. */
    public void serverDown() {
        try {
            Files.writeString(dir.resolve("server-down"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serverUp() {
        try {
            Files.deleteIfExists(dir.resolve("server-down"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a recorded output. */
    public static List<String> recording(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String name, Path to) throws IOException {
        try (InputStream in = resource(name)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = FakeAdb.class.getResourceAsStream("/adb/" + name);
        if (in == null) {
            throw new IllegalStateException("no test resource adb/" + name);
        }
        return in;
    }
}
