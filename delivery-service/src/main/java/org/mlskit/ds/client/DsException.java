package org.mlskit.ds.client;

import com.google.gson.JsonObject;

/** A request the DS refused: its stable code, HTTP status and whole JSON body. */
public final class DsException extends RuntimeException {
    private final String code;
    private final int status;
    private final JsonObject body;

    public DsException(int status, String code, String message, JsonObject body) {
        super(code + " (" + status + "): " + message);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    /** The error code, e.g. {@code WRONG_EPOCH} (delivery-service/README.md lists them). */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** The JSON error body, with details such as {@code epoch} and {@code from} for WRONG_EPOCH. */
    public JsonObject body() {
        return body;
    }
}
