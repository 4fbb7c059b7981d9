package org.mlskit.keys;

/** Extension types of RFC 9420 §17.3; 1–5 are the "default" ones that capabilities never list. */
public final class ExtensionType {
    public static final int APPLICATION_ID = 0x0001;
    public static final int RATCHET_TREE = 0x0002;
    public static final int REQUIRED_CAPABILITIES = 0x0003;
    public static final int EXTERNAL_PUB = 0x0004;
    public static final int EXTERNAL_SENDERS = 0x0005;
    /** app_data_dictionary of the MLS extensions draft (draft-ietf-mls-extensions), which carries its components. */
    public static final int APP_DATA_DICTIONARY = 0x0006;

    private ExtensionType() {
    }

    public static boolean isDefault(int type) {
        return type >= APPLICATION_ID && type <= EXTERNAL_SENDERS;
    }
}
