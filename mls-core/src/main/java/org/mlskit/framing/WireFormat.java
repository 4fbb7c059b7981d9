package org.mlskit.framing;

/** WireFormat code points of RFC 9420 §6. */
public final class WireFormat {
    public static final int PUBLIC_MESSAGE = 1;
    public static final int PRIVATE_MESSAGE = 2;
    public static final int WELCOME = 3;
    public static final int GROUP_INFO = 4;
    public static final int KEY_PACKAGE = 5;

    private WireFormat() {
    }
}
