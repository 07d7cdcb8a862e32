package dev.workcell.controlplane.action;

import dev.workcell.controlplane.errors.ConflictException;

/** An idempotency key sent again with a different request. Maps to 409 / ALREADY_EXISTS, naming the key. */
public class IdempotencyKeyReusedException extends ConflictException {

    public static final String FIELD = "idempotency_key";

    public IdempotencyKeyReusedException(String key, String actionId, String difference) {
        super(FIELD + ": '" + ActionIds.abbreviate(key) + "' was used for action " + actionId
                + " with a different request (" + difference + "); use a new key for a new request");
    }
}
