package dev.workcell.cli.connect;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import javax.net.ssl.SSLException;

/** A failed gRPC call as the user reads it, with its exit code. */
public final class GrpcFailures {

    private GrpcFailures() {}

    public static CliException toCli(StatusRuntimeException e) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> new CliException(ExitCodes.UNREACHABLE, unreachable(status, description), e);
            case NOT_FOUND -> new CliException(ExitCodes.NOT_FOUND, description, e);
            case UNAUTHENTICATED -> new CliException(ExitCodes.NOT_ALLOWED, "not authenticated: " + description, e);
            case PERMISSION_DENIED -> new CliException(ExitCodes.NOT_ALLOWED, "not allowed: " + description, e);
            case INVALID_ARGUMENT -> new CliException(ExitCodes.USAGE, description, e);
            case DEADLINE_EXCEEDED -> new CliException(ExitCodes.TIMED_OUT, "no answer in time: " + description, e);
            case CANCELLED -> new CliException(ExitCodes.INTERRUPTED, "cancelled: " + description, e);
            case FAILED_PRECONDITION, ALREADY_EXISTS -> new CliException(ExitCodes.FAILED, description, e);
            case RESOURCE_EXHAUSTED -> new CliException(ExitCodes.FAILED, "refused for now: " + description, e);
            default -> new CliException(ExitCodes.FAILED, status.getCode() + ": " + description, e);
        };
    }

    private static String unreachable(Status status, String description) {
        Throwable cause = status.getCause();
        while (cause != null && cause.getCause() != null && !(cause instanceof SSLException)) {
            cause = cause.getCause();
        }
        if (cause instanceof SSLException) {
            return "TLS with the control plane failed: " + cause.getMessage()
                    + " (--ca names the CA that signed the server's certificate)";
        }
        if (cause != null && cause.getMessage() != null) {
            return "cannot reach the control plane: " + cause.getMessage();
        }
        return "control plane unavailable: " + description;
    }
}
