package org.teavm.classlib.java.security;

/**
 * TeaVM stand-in for {@code java.security.Security}, which TeaVM's class library lacks.
 * BouncyCastle reads optional tuning properties through it; in the browser there are none.
 * TeaVM maps {@code java.security.Security} to this class by its T-prefixed name.
 */
public final class TSecurity {
    private TSecurity() {
    }

    public static String getProperty(String key) {
        return null;
    }

    public static void setProperty(String key, String value) {
        // No provider properties in a TeaVM build.
    }
}
