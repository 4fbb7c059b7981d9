package org.mlskit.ds.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.framing.MlsMessage;

/**
 * A {@code message/mls} request body: one or more MLSMessages back to back (each is
 * self-delimiting), e.g. a batch of KeyPackages or a commit with its Welcome and GroupInfo.
 */
public final class MlsBody {
    private MlsBody() {
    }

    /** A decoded message and its own bytes. */
    public record Part(MlsMessage message, byte[] bytes) {
    }

    /** Decodes every message; MALFORMED_MESSAGE if any does not decode, PAYLOAD_TOO_LARGE past {@code max}. */
    public static List<Part> split(byte[] body, int max) {
        if (body == null || body.length == 0) {
            throw new DsError(DsError.Code.MALFORMED_MESSAGE, "empty body: expected MLSMessage bytes (message/mls)");
        }
        List<Part> parts = new ArrayList<>();
        TlsReader in = new TlsReader(body);
        try {
            while (in.hasRemaining()) {
                if (parts.size() == max) {
                    throw new DsError(DsError.Code.PAYLOAD_TOO_LARGE, "at most " + max + " MLSMessages in this body");
                }
                int at = in.position();
                MlsMessage m = MlsMessage.decode(in);
                parts.add(new Part(m, Arrays.copyOfRange(body, at, in.position())));
            }
        } catch (MlsException e) {
            throw new DsError(DsError.Code.MALFORMED_MESSAGE, "not MLSMessage bytes: " + e.getMessage());
        }
        return parts;
    }
}
