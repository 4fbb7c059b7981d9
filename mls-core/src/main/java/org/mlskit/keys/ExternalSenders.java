package org.mlskit.keys;

import java.util.ArrayList;
import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** The external_senders GroupContext extension (RFC 9420 §12.1.8.1): who outside the group may propose. */
public final class ExternalSenders {
    /** One external sender: its signature key and credential; its index in the list is its sender index. */
    public static final class Entry {
        public final byte[] signatureKey;
        public final Credential credential;

        public Entry(byte[] signatureKey, Credential credential) {
            this.signatureKey = signatureKey.clone();
            this.credential = credential;
        }
    }

    private ExternalSenders() {
    }

    public static Extension toExtension(List<Entry> senders) {
        TlsWriter w = new TlsWriter(256);
        int mark = w.beginVector();
        for (Entry e : senders) {
            w.opaque(e.signatureKey);
            e.credential.encode(w);
        }
        w.endVector(mark);
        return new Extension(ExtensionType.EXTERNAL_SENDERS, w.toByteArray());
    }

    /** The senders listed in {@code extensions}, empty when there is no such extension; malformed data throws MALFORMED. */
    public static List<Entry> find(List<Extension> extensions) {
        for (Extension e : extensions) {
            if (e.type() == ExtensionType.EXTERNAL_SENDERS) {
                return Codec.decodeAll(e.data(), in -> {
                    List<Entry> out = new ArrayList<>();
                    TlsReader v = in.vector();
                    while (v.hasRemaining()) {
                        out.add(new Entry(v.opaque(), Credential.decode(v)));
                    }
                    return out;
                });
            }
        }
        return new ArrayList<>();
    }
}
