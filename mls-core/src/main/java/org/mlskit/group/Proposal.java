package org.mlskit.group;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Extension;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.LeafNode;
import org.mlskit.schedule.PreSharedKeyId;

/** The proposals of RFC 9420 §12.1, one nested class per ProposalType. */
public abstract class Proposal implements Encodable {
    public static final int ADD = 1;
    public static final int UPDATE = 2;
    public static final int REMOVE = 3;
    public static final int PSK = 4;
    public static final int REINIT = 5;
    public static final int EXTERNAL_INIT = 6;
    public static final int GROUP_CONTEXT_EXTENSIONS = 7;
    /** app_data_update of draft-ietf-mls-extensions (its suggested code point). */
    public static final int APP_DATA_UPDATE = 0x0008;
    /** self_remove of draft-ietf-mls-extensions (its suggested code point). */
    public static final int SELF_REMOVE = 0x000A;

    private Proposal() {
    }

    public abstract int type();

    protected abstract void encodeBody(TlsWriter out);

    @Override
    public final void encode(TlsWriter out) {
        out.u16(type());
        encodeBody(out);
    }

    /** ProposalRef = RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent) is computed by framing; this is the body. */
    public static Proposal decode(TlsReader in) {
        int at = in.position();
        int type = in.u16();
        switch (type) {
            case ADD:
                return new Add(KeyPackage.decode(in));
            case UPDATE:
                return new Update(LeafNode.decode(in));
            case REMOVE:
                return new Remove(in.u32());
            case PSK:
                return new PreSharedKey(PreSharedKeyId.decode(in));
            case REINIT: {
                byte[] groupId = in.opaque();
                int version = in.u16();
                int suite = in.u16();
                return new ReInit(groupId, version, suite, Extension.decodeList(in));
            }
            case EXTERNAL_INIT:
                return new ExternalInit(in.opaque());
            case GROUP_CONTEXT_EXTENSIONS:
                return new GroupContextExtensions(Extension.decodeList(in));
            case APP_DATA_UPDATE: {
                int component = in.u16();
                int op = in.u8();
                if (op == AppDataUpdate.UPDATE) {
                    return new AppDataUpdate(component, in.opaque());
                }
                if (op == AppDataUpdate.REMOVE) {
                    return new AppDataUpdate(component, null);
                }
                throw Codec.invalid(in, at, "AppDataUpdate operation " + op);
            }
            case SELF_REMOVE:
                return new SelfRemove();
            default:
                throw Codec.invalid(in, at, "proposal type " + type + " is not supported");
        }
    }

    /** Add a member by KeyPackage (§12.1.1). */
    public static final class Add extends Proposal {
        public final KeyPackage keyPackage;

        public Add(KeyPackage keyPackage) {
            this.keyPackage = keyPackage;
        }

        @Override
        public int type() {
            return ADD;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            keyPackage.encode(out);
        }
    }

    /** Replace the sender's leaf (§12.1.2). */
    public static final class Update extends Proposal {
        public final LeafNode leafNode;

        public Update(LeafNode leafNode) {
            this.leafNode = leafNode;
        }

        @Override
        public int type() {
            return UPDATE;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            leafNode.encode(out);
        }
    }

    /** Remove the member at a leaf (§12.1.3). */
    public static final class Remove extends Proposal {
        public final int removed;

        public Remove(int removed) {
            this.removed = removed;
        }

        @Override
        public int type() {
            return REMOVE;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            out.u32(removed);
        }
    }

    /** Inject a pre-shared key into the next epoch (§12.1.4). */
    public static final class PreSharedKey extends Proposal {
        public final PreSharedKeyId psk;

        public PreSharedKey(PreSharedKeyId psk) {
            this.psk = psk;
        }

        @Override
        public int type() {
            return PSK;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            psk.encode(out);
        }
    }

    /** Close the group and restart it with new parameters (§12.1.5). */
    public static final class ReInit extends Proposal {
        public final byte[] groupId;
        public final int version;
        public final int cipherSuite;
        public final List<Extension> extensions;

        public ReInit(byte[] groupId, int version, int cipherSuite, List<Extension> extensions) {
            this.groupId = groupId;
            this.version = version;
            this.cipherSuite = cipherSuite;
            this.extensions = extensions;
        }

        @Override
        public int type() {
            return REINIT;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            out.opaque(groupId).u16(version).u16(cipherSuite);
            Extension.encodeList(out, extensions);
        }
    }

    /** The KEM output of an external joiner (§12.1.6). */
    public static final class ExternalInit extends Proposal {
        public final byte[] kemOutput;

        public ExternalInit(byte[] kemOutput) {
            this.kemOutput = kemOutput;
        }

        @Override
        public int type() {
            return EXTERNAL_INIT;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            out.opaque(kemOutput);
        }
    }

    /** Replace the GroupContext's extensions (§12.1.7). */
    public static final class GroupContextExtensions extends Proposal {
        public final List<Extension> extensions;

        public GroupContextExtensions(List<Extension> extensions) {
            this.extensions = extensions;
        }

        @Override
        public int type() {
            return GROUP_CONTEXT_EXTENSIONS;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            Extension.encodeList(out, extensions);
        }
    }

    /**
     * Changes one component of the GroupContext's app_data_dictionary (draft-ietf-mls-extensions,
     * "Updating Application Data in the GroupContext"): {@code update} the application interprets,
     * or removal when {@code update} is null. Needs no UpdatePath.
     */
    public static final class AppDataUpdate extends Proposal {
        public static final int UPDATE = 1;
        public static final int REMOVE = 2;
        public final int componentId;
        /** The update for the component's logic; null for a removal. */
        public final byte[] update;

        public AppDataUpdate(int componentId, byte[] update) {
            org.mlskit.keys.AppDataDictionary.checkId(componentId);
            this.componentId = componentId;
            this.update = update == null ? null : update.clone();
        }

        public int op() {
            return update == null ? REMOVE : UPDATE;
        }

        @Override
        public int type() {
            return APP_DATA_UPDATE;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            out.u16(componentId).u8(op());
            if (update != null) {
                out.opaque(update);
            }
        }
    }

    /**
     * The sender removes itself (draft-ietf-mls-extensions, "SelfRemove Proposal"): sent as a
     * PublicMessage by a member, committed by reference by another member or an external joiner.
     */
    public static final class SelfRemove extends Proposal {
        @Override
        public int type() {
            return SELF_REMOVE;
        }

        @Override
        protected void encodeBody(TlsWriter out) {
            // struct {} SelfRemove
        }
    }

    /** Whether {@code type} is one of RFC 9420's own proposal types (capabilities never need to list those). */
    public static boolean isDefault(int type) {
        return type >= ADD && type <= GROUP_CONTEXT_EXTENSIONS;
    }

    /** The RefHash of a proposal's AuthenticatedContent, as ProposalRef (§5.2). */
    public static byte[] ref(CipherSuite suite, byte[] authenticatedContent) {
        return suite.refHash("MLS 1.0 Proposal Reference", authenticatedContent);
    }
}
