package org.mlskit.interop.server;

import io.grpc.Status;

/** A harness-level refusal (unknown id, wrong message kind, missing input) with the gRPC status to answer. */
final class InteropException extends RuntimeException {
    final Status.Code code;

    InteropException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    static InteropException notFound(String what, int id) {
        return new InteropException(Status.Code.NOT_FOUND, "unknown " + what + " id " + Integer.toUnsignedString(id));
    }

    static InteropException badRequest(String message) {
        return new InteropException(Status.Code.INVALID_ARGUMENT, message);
    }

    static InteropException precondition(String message) {
        return new InteropException(Status.Code.FAILED_PRECONDITION, message);
    }
}
