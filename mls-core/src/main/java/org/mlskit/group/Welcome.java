package org.mlskit.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.keys.KeyPackage;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.schedule.KeySchedule;

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

    /** The entry for the member whose KeyPackageRef is {@code ref}, or null. */
    public Secrets find(byte[] ref) {
        for (Secrets s : secrets) {
            if (Arrays.equals(s.newMember, ref)) {
                return s;
            }
        }
        return null;
    }

    /** Decrypts an entry's GroupSecrets with the KeyPackage's init key: DecryptWithLabel(init_priv, "Welcome", encrypted_group_info, ...). */
    public GroupSecrets openSecrets(CipherSuite suite, Secrets entry, byte[] initPrivateKey) {
        HpkeCiphertext ct = entry.encryptedGroupSecrets;
        byte[] plain = suite.decryptWithLabel(initPrivateKey, "Welcome", encryptedGroupInfo, ct.kemOutput(), ct.ciphertext());
        try {
            return Codec.decodeAll(plain, GroupSecrets::decode);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Decrypts the GroupInfo with the welcome key and nonce derived from the joiner and PSK secrets (§12.4.3.1). */
    public GroupInfo openGroupInfo(CipherSuite suite, byte[] joinerSecret, byte[] pskSecret) {
        byte[] welcomeSecret = KeySchedule.welcomeSecret(suite, joinerSecret, pskSecret);
        byte[] key = suite.expandWithLabel(welcomeSecret, "key", new byte[0], suite.aead().keyLength());
        byte[] nonce = suite.expandWithLabel(welcomeSecret, "nonce", new byte[0], suite.aead().nonceLength());
        Arrays.fill(welcomeSecret, (byte) 0);
        try {
            return Codec.decodeAll(suite.aead().open(key, nonce, new byte[0], encryptedGroupInfo), GroupInfo::decode);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        }
    }

    /**
     * Builds a Welcome (§12.4.3.1): the GroupInfo encrypted under the welcome secret's key and
     * nonce, and for each new member its GroupSecrets encrypted to its KeyPackage's init key.
     */
    public static Welcome seal(CipherSuite suite, byte[] welcomeSecret, GroupInfo info, List<KeyPackage> newMembers,
            List<GroupSecrets> secrets, RandomSource random) {
        byte[] key = suite.expandWithLabel(welcomeSecret, "key", new byte[0], suite.aead().keyLength());
        byte[] nonce = suite.expandWithLabel(welcomeSecret, "nonce", new byte[0], suite.aead().nonceLength());
        byte[] encryptedInfo;
        try {
            encryptedInfo = suite.aead().seal(key, nonce, new byte[0], info.toBytes());
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        }
        List<Secrets> entries = new ArrayList<>();
        org.mlskit.crypto.Hpke.Info context = suite.encryptContext("Welcome", encryptedInfo);
        for (int i = 0; i < newMembers.size(); i++) {
            KeyPackage kp = newMembers.get(i);
            byte[] plain = secrets.get(i).toBytes();
            entries.add(new Secrets(kp.ref(suite), suite.encryptWithLabel(kp.initKey, context, plain, random)));
            Arrays.fill(plain, (byte) 0);
        }
        return new Welcome(suite.id(), entries, encryptedInfo);
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
