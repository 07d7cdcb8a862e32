package dev.workcell.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How fast one core of this machine is right now: the time of a fixed piece of work (SHA-256 over 128 MB),
 * the best of three. A shared virtual machine's speed drifts between runs (the same statements took 1.5-2.6x
 * as long in one run as in another); this figure moved less than the database's work did (its instructions
 * are made for it), so benchmark 5 prints it beside a pgbench baseline: two runs compare when both are alike.
 */
final class MachineSpeed {

    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 128;
    private static final int TRIES = 3;

    private MachineSpeed() {}

    /** Milliseconds for the fixed work on one core (lower is faster). */
    static double millis() {
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        double best = Double.MAX_VALUE;
        for (int t = 0; t < TRIES; t++) {
            long start = System.nanoTime();
            MessageDigest sha256 = sha256();
            for (int c = 0; c < CHUNKS; c++) {
                sha256.update(chunk);
            }
            chunk[0] ^= sha256.digest()[0];
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
