package org.mlskit.keys;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** Capabilities of a leaf (RFC 9420 §7.2): what its client supports, as lists of code points. */
public final class Capabilities implements Encodable {
    public final int[] versions;
    public final int[] cipherSuites;
    public final int[] extensions;
    public final int[] proposals;
    public final int[] credentials;

    public Capabilities(int[] versions, int[] cipherSuites, int[] extensions, int[] proposals, int[] credentials) {
        this.versions = versions.clone();
        this.cipherSuites = cipherSuites.clone();
        this.extensions = extensions.clone();
        this.proposals = proposals.clone();
        this.credentials = credentials.clone();
    }

    @Override
    public void encode(TlsWriter out) {
        Codec.writeU16s(out, versions);
        Codec.writeU16s(out, cipherSuites);
        Codec.writeU16s(out, extensions);
        Codec.writeU16s(out, proposals);
        Codec.writeU16s(out, credentials);
    }

    /** Whether {@code values} (one of the capability lists) contains {@code v}. */
    public static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code this} falls short of {@code required} (a required_capabilities extension, may be
     * null), or null when it does not: every required non-default extension, non-default proposal
     * type and credential type must be listed.
     */
    public String missing(RequiredCapabilities required) {
        if (required == null) {
            return null;
        }
        for (int t : required.extensionTypes) {
            if (!ExtensionType.isDefault(t) && !contains(extensions, t)) {
                return "required extension " + t;
            }
        }
        for (int t : required.proposalTypes) {
            if (t > 7 && !contains(proposals, t)) {
                return "required proposal type " + t;
            }
        }
        for (int t : required.credentialTypes) {
            if (!contains(credentials, t)) {
                return "required credential type " + t;
            }
        }
        return null;
    }

    public static Capabilities decode(TlsReader in) {
        return new Capabilities(Codec.readU16s(in), Codec.readU16s(in), Codec.readU16s(in), Codec.readU16s(in),
                Codec.readU16s(in));
    }
}
