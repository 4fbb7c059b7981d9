package org.mlskit.js.teavm;

import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.mlskit.crypto.HashAlgorithm;

/** TeaVM stand-in for mls-core's {@code Hmac} (the JDK's Mac, which TeaVM lacks): BouncyCastle's HMac, same methods. */
public final class THmac {
    private final HMac mac;

    public THmac(HashAlgorithm hash, byte[] key) {
        mac = new HMac(hash.newDigest());
        mac.init(new KeyParameter(key));
    }

    public int length() {
        return mac.getMacSize();
    }

    public void update(byte[] data, int off, int len) {
        mac.update(data, off, len);
    }

    public void update(byte b) {
        mac.update(b);
    }

    public void doFinal(byte[] out, int off) {
        mac.doFinal(out, off);
    }
}
