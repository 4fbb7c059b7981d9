package org.mlskit.ds.auth;

import java.util.regex.Pattern;

import org.mlskit.ds.api.DsError;

/** User and device ids: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, so they are safe in paths, logs and credentials. */
public final class Names {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Names() {
    }

    public static String check(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new DsError(DsError.Code.BAD_REQUEST, what + " must be 1 to 64 of A-Z a-z 0-9 . _ - (got "
                    + (value == null ? "nothing" : "'" + value + "'") + ")");
        }
        return value;
    }
}
