// Errors of the mlskit package: every failure is an MlsError whose `code` is one of the core's
// stable error codes (or INTERNAL for a bug, which should never happen).

/** The stable error codes, as the Java core names them (org.mlskit.ErrorCode), plus INTERNAL. */
export const ErrorCode = Object.freeze(Object.fromEntries([
  'MALFORMED', 'UNSUPPORTED', 'INVALID_SIGNATURE', 'DECRYPTION_FAILED', 'INVALID_KEY', 'INVALID_ARGUMENT',
  'DUPLICATE_MESSAGE', 'GENERATION_OUT_OF_RANGE', 'INVALID_PARENT_HASH', 'INVALID_TREE', 'INVALID_MEMBERSHIP_TAG',
  'WRONG_EPOCH', 'WRONG_GROUP', 'UNKNOWN_MEMBER', 'WRONG_CONTENT_TYPE', 'INVALID_LEAF_NODE', 'EXPIRED',
  'NO_SECURE_RANDOM', 'INVALID_PROPOSAL', 'INVALID_COMMIT', 'UNKNOWN_PROPOSAL', 'INVALID_CONFIRMATION_TAG',
  'MISSING_PSK', 'NOT_FOR_US', 'INVALID_STATE', 'INVALID_CREDENTIAL', 'INTERNAL',
].map((c) => [c, c])));

export class MlsError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'MlsError';
    this.code = code;
  }
}

/** Any error thrown by the native layer as an MlsError with the right code. */
export function toMlsError(e) {
  if (e instanceof MlsError) return e;
  if (e !== null && typeof e === 'object' && typeof e.code === 'string' && e.code in ErrorCode) {
    return new MlsError(e.code, e.message, { cause: e });
  }
  const message = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  return new MlsError(ErrorCode.INTERNAL, `internal error: ${message}`, { cause: e });
}

export function invalid(message) {
  return new MlsError(ErrorCode.INVALID_ARGUMENT, message);
}
