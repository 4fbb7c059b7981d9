package org.mlskit.keys;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/**
 * The application's judgement on credentials (RFC 9420 §5.3.1): whether a credential is
 * acceptable with a given signature key, and whether two credentials name the same client (so a
 * group can refuse to add a client twice and accept a resync or update by the same identity).
 * MLS itself only checks signatures; who may be in a group is the application's call.
 */
public interface IdentityChecker {
    /**
     * Throws {@link MlsException} (code {@link ErrorCode#INVALID_ARGUMENT} or the application's
     * choice) when {@code credential} is not acceptable for {@code signatureKey}.
     */
    void validate(Credential credential, byte[] signatureKey);

    /**
     * What identifies the client a credential names: two credentials name the same client exactly
     * when their ids are equal (a group refuses to add a client twice, and lets a member update or
     * resync only as the same client).
     */
    byte[] clientId(Credential credential);

    /** Whether {@code next} names the same client as {@code current} (an update or a resync). */
    default boolean sameClient(Credential current, Credential next) {
        return java.util.Arrays.equals(clientId(current), clientId(next));
    }

    /**
     * The default: basic credentials are accepted as they are (their identity is opaque bytes the
     * application interprets) and the same identity means the same client. X.509 credentials are
     * refused, because their chain must be validated against the application's trust anchors:
     * supply a checker that does so.
     */
    IdentityChecker BASIC = new IdentityChecker() {
        @Override
        public void validate(Credential credential, byte[] signatureKey) {
            if (credential.type() != Credential.BASIC) {
                throw new MlsException(ErrorCode.UNSUPPORTED, "credential type " + credential.type()
                        + " needs an IdentityChecker from the application (the default accepts basic credentials only)");
            }
        }

        @Override
        public byte[] clientId(Credential credential) {
            return credential.toBytes();
        }
    };
}
