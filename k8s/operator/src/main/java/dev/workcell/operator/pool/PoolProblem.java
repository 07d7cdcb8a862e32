package dev.workcell.operator.pool;

/** Why a pool cannot be served now, as its Degraded condition says it: a reason and what to do. */
public class PoolProblem extends Exception {

    private final String reason;

    public PoolProblem(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
