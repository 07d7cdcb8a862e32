package dev.workcell.controlplane.action;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The original's EquivalentAction: the same operation and input on the same host and target,
 * whatever the id, status and output. Also decides whether a submit reuses an existing action.
 */
public final class EquivalentAction {

    private EquivalentAction() {}

    public static boolean test(Action a, Action b) {
        return a.getOperation() == b.getOperation()
                && a.getInput().equals(b.getInput())
                && a.getHost().equals(b.getHost())
                && a.getTarget().equals(b.getTarget());
    }

    /**
     * Whether a submit should return {@code existing} instead of creating a new action: yes while
     * it is in flight, and once it succeeded unless the client forces a new one. A failed or
     * cancelled action never blocks a new one (the original blocked forever, defect 6).
     */
    public static boolean reuses(Action existing, boolean force) {
        return switch (existing.getStatus()) {
            case QUEUED, DISPATCHED, RUNNING -> true;
            case SUCCEEDED -> !force;
            default -> false;
        };
    }

    /** Deterministic bytes of an input: equal inputs give equal bytes, map order included. */
    public static byte[] canonicalBytes(ActionInput input) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
            coded.useDeterministicSerialization();
            input.writeTo(coded);
            coded.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    public static String inputHash(byte[] canonicalInput) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalInput));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
