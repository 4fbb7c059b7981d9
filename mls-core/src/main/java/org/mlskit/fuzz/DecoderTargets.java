package org.mlskit.fuzz;

import java.util.Arrays;
import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.SenderData;
import org.mlskit.group.Commit;
import org.mlskit.group.GroupContext;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.GroupSecrets;
import org.mlskit.group.Proposal;
import org.mlskit.group.Welcome;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeValidation;
import org.mlskit.tree.UpdatePath;

/**
 * One target per decoder: MLSMessage and every struct in it. Oracle: the input decodes or is
 * rejected with a typed error; what decodes re-encodes to exactly the input (the codec is
 * strict, so any difference is a bug); a decoded ratchet tree can be hashed and structurally
 * checked without anything but typed errors.
 */
final class DecoderTargets {
    static final String[] NAMES = {"mls-message", "key-package", "leaf-node", "credential", "capabilities", "group-info",
        "group-context", "welcome", "group-secrets", "ratchet-tree", "commit", "proposal", "update-path", "public-message",
        "private-message", "sender-data"};

    private DecoderTargets() {
    }

    static boolean has(String name) {
        for (String n : NAMES) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A mutated seed of this struct: mostly byte- and length-level, sometimes typed. */
    static byte[] generate(String name, Scenario s, FuzzRandom r) {
        List<byte[]> seeds = s.seeds(name);
        if (seeds.isEmpty()) {
            return r.bytes(r.below(64));
        }
        byte[] seed = r.pick(seeds);
        if (r.chance(20)) {
            byte[] typed = typed(name, seed, s, r);
            if (typed != null) {
                return r.chance(30) ? ByteMutator.mutate(typed, s.donors(), r) : typed;
            }
        }
        return r.chance(3) ? seed : ByteMutator.mutate(seed, s.donors(), r);
    }

    private static byte[] typed(String name, byte[] seed, Scenario s, FuzzRandom r) {
        StructMutator m = new StructMutator(s, r);
        byte[] groupId = s.welcomeInfo.groupContext.groupId();
        try {
            switch (name) {
                case "key-package":
                    return m.keyPackage(Codec.decodeAll(seed, KeyPackage::decode)).toBytes();
                case "leaf-node":
                    return m.leaf(Codec.decodeAll(seed, LeafNode::decode), groupId, 0).toBytes();
                case "group-info":
                    return m.groupInfo(Codec.decodeAll(seed, GroupInfo::decode), s.tree).toBytes();
                case "ratchet-tree":
                    return m.tree(seed, groupId);
                case "group-secrets":
                    return m.groupSecrets(Codec.decodeAll(seed, GroupSecrets::decode)).toBytes();
                case "commit":
                    return m.commit(Codec.decodeAll(seed, Commit::decode), groupId, org.mlskit.framing.Sender.member(0)).toBytes();
                case "proposal":
                    return m.proposal(Codec.decodeAll(seed, Proposal::decode), org.mlskit.framing.Sender.member(0)).toBytes();
                default:
                    return null;
            }
        } catch (RuntimeException e) {
            // A seed the typed mutator cannot rebuild: fall back to byte mutations.
            return null;
        }
    }

    static Outcome execute(String name, CipherSuite suite, byte[] input) {
        Encodable decoded;
        try {
            decoded = decode(name, suite, input);
        } catch (Throwable t) {
            return Outcome.of(t);
        }
        byte[] again;
        try {
            again = decoded.toBytes();
        } catch (Throwable t) {
            return Outcome.failed("re-encoding a decoded " + name + " threw " + Outcome.describe(t));
        }
        if (!Arrays.equals(again, input)) {
            return Outcome.failed("a decoded " + name + " re-encodes to other bytes (" + again.length + " vs " + input.length + ")");
        }
        if (decoded instanceof TreeHolder) {
            try {
                RatchetTree t = ((TreeHolder) decoded).tree;
                t.treeHash();
                TreeValidation.validateStructure(t);
            } catch (Throwable t) {
                return Outcome.of(t);
            }
        }
        return Outcome.ACCEPTED;
    }

    /** Adapts RatchetTree (which is not an Encodable) to the re-encoding check. */
    private static final class TreeHolder implements Encodable {
        final RatchetTree tree;

        TreeHolder(RatchetTree tree) {
            this.tree = tree;
        }

        @Override
        public void encode(org.mlskit.codec.TlsWriter out) {
            tree.encode(out);
        }
    }

    static Encodable decode(String name, CipherSuite suite, byte[] input) {
        switch (name) {
            case "mls-message":
                return MlsMessage.fromBytes(input);
            case "key-package":
                return Codec.decodeAll(input, KeyPackage::decode);
            case "leaf-node":
                return Codec.decodeAll(input, LeafNode::decode);
            case "credential":
                return Codec.decodeAll(input, Credential::decode);
            case "capabilities":
                return Codec.decodeAll(input, Capabilities::decode);
            case "group-info":
                return Codec.decodeAll(input, GroupInfo::decode);
            case "group-context":
                return Codec.decodeAll(input, GroupContext::decode);
            case "welcome":
                return Codec.decodeAll(input, Welcome::decode);
            case "group-secrets":
                return Codec.decodeAll(input, GroupSecrets::decode);
            case "ratchet-tree":
                return new TreeHolder(Codec.decodeAll(input, (TlsReader in) -> RatchetTree.decode(suite, in)));
            case "commit":
                return Codec.decodeAll(input, Commit::decode);
            case "proposal":
                return Codec.decodeAll(input, Proposal::decode);
            case "update-path":
                return Codec.decodeAll(input, UpdatePath::decode);
            case "public-message":
                return Codec.decodeAll(input, PublicMessage::decode);
            case "private-message":
                return Codec.decodeAll(input, PrivateMessage::decode);
            case "sender-data":
                return SenderData.fromBytes(input);
            default:
                throw new IllegalArgumentException("unknown decoder target " + name);
        }
    }
}
