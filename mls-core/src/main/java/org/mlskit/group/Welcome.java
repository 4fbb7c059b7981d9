package org.mlskit.group;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.HpkeCiphertext;

/** Welcome (RFC 9420 §12.4.3.1): GroupSecrets per new member and the GroupInfo encrypted under the welcome key. */
public final class Welcome implements Encodable {
    public final int cipherSuite;
    public final List<Secrets> secrets;
    public final byte[] encryptedGroupInfo;

    public Welcome(int cipherSuite, List<Secrets> secrets, byte[] encryptedGroupInfo) {
        this.cipherSuite = cipherSuite;
        this.secrets = secrets;
        this.encryptedGroupInfo = encryptedGroupInfo;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(cipherSuite);
        Codec.writeList(out, secrets);
        out.opaque(encryptedGroupInfo);
    }

    public static Welcome decode(TlsReader in) {
        int suite = in.u16();
        List<Secrets> s = Codec.readList(in, Secrets::decode);
        return new Welcome(suite, s, in.opaque());
    }

    /** EncryptedGroupSecrets: GroupSecrets for the member whose KeyPackageRef is {@code newMember}. */
    public static final class Secrets implements Encodable {
        public final byte[] newMember;
        public final HpkeCiphertext encryptedGroupSecrets;

        public Secrets(byte[] newMember, HpkeCiphertext encryptedGroupSecrets) {
            this.newMember = newMember;
            this.encryptedGroupSecrets = encryptedGroupSecrets;
        }

        @Override
        public void encode(TlsWriter out) {
            out.opaque(newMember);
            encryptedGroupSecrets.encode(out);
        }

        public static Secrets decode(TlsReader in) {
            byte[] ref = in.opaque();
            return new Secrets(ref, HpkeCiphertext.decode(in));
        }
    }
}
