package org.teavm.classlib.java.security;

/**
 * TeaVM stand-in for the JDK's security-properties class, which TeaVM's class library lacks.
 * BouncyCastle reads optional tuning properties through it; in the browser there are none.
 * TeaVM maps a {@code java.*} class to {@code org.teavm.classlib.java.*} with a T prefix, so it picks this up.
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
