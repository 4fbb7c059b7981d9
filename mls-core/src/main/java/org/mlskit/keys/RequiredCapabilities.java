package org.mlskit.keys;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** The required_capabilities GroupContext extension (RFC 9420 §11.1): what every member must support. */
public final class RequiredCapabilities {
    public final int[] extensionTypes;
    public final int[] proposalTypes;
    public final int[] credentialTypes;

    public RequiredCapabilities(int[] extensionTypes, int[] proposalTypes, int[] credentialTypes) {
        this.extensionTypes = extensionTypes.clone();
        this.proposalTypes = proposalTypes.clone();
        this.credentialTypes = credentialTypes.clone();
    }

    public Extension toExtension() {
        TlsWriter w = new TlsWriter();
        Codec.writeU16s(w, extensionTypes);
        Codec.writeU16s(w, proposalTypes);
        Codec.writeU16s(w, credentialTypes);
        return new Extension(ExtensionType.REQUIRED_CAPABILITIES, w.toByteArray());
    }

    /** The extension in {@code extensions}, or null when there is none. */
    public static RequiredCapabilities find(List<Extension> extensions) {
        for (Extension e : extensions) {
            if (e.type() == ExtensionType.REQUIRED_CAPABILITIES) {
                return Codec.decodeAll(e.data(), RequiredCapabilities::decode);
            }
        }
        return null;
    }

    static RequiredCapabilities decode(TlsReader in) {
        int[] ext = Codec.readU16s(in);
        int[] prop = Codec.readU16s(in);
        return new RequiredCapabilities(ext, prop, Codec.readU16s(in));
    }
}
