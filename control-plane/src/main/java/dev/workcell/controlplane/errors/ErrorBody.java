package dev.workcell.controlplane.errors;

import io.vertx.core.json.JsonObject;

/** The body of every REST error: what is wrong, and the request field it is about (null when none). */
public record ErrorBody(String error, String field) {

    /** The JSON the REST layer writes, for answers written outside it (HTTP layer, authentication). */
    public String toJson() {
        return new JsonObject().put("error", error).put("field", field).encode();
    }
}
