package org.mlskit.vectors;

import java.util.function.Function;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Commit;
import org.mlskit.group.GroupSecrets;
import org.mlskit.group.Proposal;
import org.mlskit.tree.RatchetTree;

import static org.mlskit.vectors.TestVectors.*;

/** messages.json: every message struct decodes and re-encodes to the same bytes. */
final class MessagesVectors {
    private MessagesVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        message(v, "mls_welcome", WireFormat.WELCOME, 0);
        message(v, "mls_group_info", WireFormat.GROUP_INFO, 0);
        message(v, "mls_key_package", WireFormat.KEY_PACKAGE, 0);
        message(v, "public_message_application", WireFormat.PUBLIC_MESSAGE, ContentType.APPLICATION);
        message(v, "public_message_proposal", WireFormat.PUBLIC_MESSAGE, ContentType.PROPOSAL);
        message(v, "public_message_commit", WireFormat.PUBLIC_MESSAGE, ContentType.COMMIT);
        message(v, "private_message", WireFormat.PRIVATE_MESSAGE, 0);

        roundTrip(v, "ratchet_tree", in -> {
            RatchetTree t = RatchetTree.decode(null, in); // syntax only: no hashing, so no suite
            return out -> t.encode(out);
        });
        roundTrip(v, "group_secrets", GroupSecrets::decode);
        proposal(v, "add_proposal", Proposal.ADD);
        proposal(v, "update_proposal", Proposal.UPDATE);
        proposal(v, "remove_proposal", Proposal.REMOVE);
        proposal(v, "pre_shared_key_proposal", Proposal.PSK);
        proposal(v, "re_init_proposal", Proposal.REINIT);
        proposal(v, "external_init_proposal", Proposal.EXTERNAL_INIT);
        proposal(v, "group_context_extensions_proposal", Proposal.GROUP_CONTEXT_EXTENSIONS);
        roundTrip(v, "commit", Commit::decode);
    }

    private static void message(JsonValue v, String field, int wireFormat, int contentType) {
        MlsMessage m = (MlsMessage) roundTrip(v, field, MlsMessage::decode);
        expectEqual(field + " wire format", wireFormat, m.wireFormat);
        if (contentType != 0) {
            expectEqual(field + " content type", contentType, ((PublicMessage) m.body).content.contentType);
        }
    }

    /** The body of a proposal field is the proposal's content without its type, so the type is prepended. */
    private static void proposal(JsonValue v, String field, int type) {
        byte[] body = hex(v, field);
        byte[] whole = new byte[body.length + 2];
        whole[0] = (byte) (type >>> 8);
        whole[1] = (byte) type;
        System.arraycopy(body, 0, whole, 2, body.length);
        Proposal p = Codec.decodeAll(whole, Proposal::decode);
        expectEqual(field, whole, p.toBytes());
    }

    private static Encodable roundTrip(JsonValue v, String field, Function<TlsReader, ? extends Encodable> decoder) {
        byte[] bytes = hex(v, field);
        Encodable e = Codec.decodeAll(bytes, decoder);
        expectEqual(field + " re-encoded", bytes, e.toBytes());
        return e;
    }
}
