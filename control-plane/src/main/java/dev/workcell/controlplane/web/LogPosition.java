package dev.workcell.controlplane.web;

import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;

/**
 * How many bytes of an attempt's stdout and stderr a log follower has been sent, written
 * "stdout:stderr" as the id of each SSE event. A browser that reconnects sends the last one back
 * (Last-Event-ID) and the stream resumes from those byte offsets, sending nothing twice.
 */
final class LogPosition {

    private long stdout;
    private long stderr;

    /** From a Last-Event-ID header; the start when there is none or it is not one of ours. */
    static LogPosition parse(String lastEventId) {
        LogPosition position = new LogPosition();
        if (lastEventId != null && lastEventId.matches("\\d{1,18}:\\d{1,18}")) {
            String[] parts = lastEventId.split(":");
            position.stdout = Long.parseLong(parts[0]);
            position.stderr = Long.parseLong(parts[1]);
        }
        return position;
    }

    /** The part of a chunk not sent yet (empty when all of it was), and the position moved past it. */
    String advance(LogChunk chunk) {
        boolean err = chunk.getStream() == LogStream.STDERR;
        long sent = err ? stderr : stdout;
        long end = chunk.getOffset() + chunk.getData().size();
        if (end <= sent) {
            return "";
        }
        int skip = (int) Math.max(0, sent - chunk.getOffset());
        if (err) {
            stderr = end;
        } else {
            stdout = end;
        }
        return chunk.getData().substring(skip).toStringUtf8();
    }

    @Override
    public String toString() {
        return stdout + ":" + stderr;
    }
}
