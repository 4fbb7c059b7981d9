package org.mlskit.ds.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal with a stable code, its HTTP status and a message for people; sent as JSON
 * {@code {code, message, ...details}}. Thrown anywhere a request is refused: nothing it touched
 * is kept (the storage layer rolls its part of the transaction back).
 */
public final class DsError extends RuntimeException {
    private final Code code;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private long retryAfterSeconds = -1;

    public DsError(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    /** Adds a machine-readable field to the JSON body (e.g. {@code epoch} for WRONG_EPOCH). */
    public DsError with(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public Map<String, Object> details() {
        return details;
    }

    public DsError retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return with("retryAfter", seconds);
    }

    /** Seconds for a Retry-After header, or -1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Every code the API answers with, and its HTTP status (delivery-service/README.md lists them). */
    public enum Code {
        BAD_REQUEST(400),
        MALFORMED_MESSAGE(400),
        UNAUTHENTICATED(401),
        BAD_CHALLENGE(401),
        BAD_SIGNATURE(401),
        FORBIDDEN(403),
        NOT_MEMBER(403),
        NOT_FOUND(404),
        METHOD_NOT_ALLOWED(405),
        DEVICE_EXISTS(409),
        GROUP_EXISTS(409),
        WRONG_EPOCH(409),
        PAYLOAD_TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415),
        INVALID_KEY_PACKAGE(422),
        INVALID_GROUP_INFO(422),
        INVALID_CREDENTIAL(422),
        UNKNOWN_KEY_PACKAGE(422),
        UNKNOWN_MEMBER(422),
        PLAINTEXT_REFUSED(422),
        RATE_LIMITED(429),
        INTERNAL(500),
        UNAVAILABLE(503);

        public final int status;

        Code(int status) {
            this.status = status;
        }
    }
}
