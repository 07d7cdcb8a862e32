package dev.workcell.cli.action;

import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an action's log: stdout chunks to stdout, stderr chunks to stderr; with a prefix (when
 * several actions' logs interleave) whole lines only, each after "[prefix] ".
 */
final class LogPrinter {

    private final PrintStream out;
    private final PrintStream err;
    private final String prefix;
    private final ByteArrayOutputStream pendingOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pendingErr = new ByteArrayOutputStream();

    /** {@code prefix} null writes the bytes as they come. */
    LogPrinter(PrintStream out, PrintStream err, String prefix) {
        this.out = out;
        this.err = err;
        this.prefix = prefix;
    }

    void write(LogChunk chunk) {
        boolean toErr = chunk.getStream() == LogStream.STDERR;
        PrintStream target = toErr ? err : out;
        byte[] data = chunk.getData().toByteArray();
        if (prefix == null) {
            target.write(data, 0, data.length);
            target.flush();
            return;
        }
        ByteArrayOutputStream pending = toErr ? pendingErr : pendingOut;
        for (byte b : data) {
            if (b == '\n') {
                target.println("[" + prefix + "] " + pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            } else {
                pending.write(b);
            }
        }
        target.flush();
    }

    /** A note between attempts, on stderr. */
    void note(String text) {
        err.println(prefix == null ? "--- " + text + " ---" : "[" + prefix + "] --- " + text + " ---");
        err.flush();
    }

    /** Writes what is left of an unfinished last line. */
    void finish() {
        if (prefix != null) {
            if (pendingOut.size() > 0) {
                out.println("[" + prefix + "] " + pendingOut.toString(StandardCharsets.UTF_8));
            }
            if (pendingErr.size() > 0) {
                err.println("[" + prefix + "] " + pendingErr.toString(StandardCharsets.UTF_8));
            }
            pendingOut.reset();
            pendingErr.reset();
        }
        out.flush();
        err.flush();
    }
}
