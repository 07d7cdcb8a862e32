package dev.workcell.cli;

/** The exit codes scripts can rely on (README "CLI"). */
public final class ExitCodes {

    public static final int OK = 0;
    /** An action failed, or the control plane refused the request for another reason (conflict, server error). */
    public static final int FAILED = 1;

    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int NOT_FOUND = 4;
    /** Not authenticated, or not allowed. */
    public static final int NOT_ALLOWED = 5;

    public static final int TIMED_OUT = 6;
    public static final int CANCELLED = 7;
    /** Ctrl-C: 128 + SIGINT, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    /** Of two outcomes of actions, the one a script should hear about: failed, then timed out, then cancelled, then succeeded. */
    public static int worst(int a, int b) {
        return severity(a) >= severity(b) ? a : b;
    }

    private static int severity(int code) {
        return switch (code) {
            case OK -> 0;
            case CANCELLED -> 1;
            case TIMED_OUT -> 2;
            case FAILED -> 3;
            default -> 4;
        };
    }
}
