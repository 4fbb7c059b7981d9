// SFrame (RFC 9605) on WebCrypto for the call's worker: the header (§4.3), the key schedule
// (§4.4.2) and the AES-GCM suites (§4.5). WebCrypto's AES-GCM is about ten times faster per video
// frame than the package's own (docs/call.md, Cost), and the worker needs no wasm module for it.
// Keys are non-extractable CryptoKeys. The per-frame path is stream-cipher.js; a plain reference
// of header parsing and sealing lives with the tests (src/test/js/sframe-reference.mjs).

/** A frame the call drops; `code` names why (the same codes as mlskit/sframe). */
export class FrameError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SFrameError';
    this.code = code;
  }
}

/** The suites WebCrypto can do: AES-GCM with a 128-bit tag. */
export const SUITES = Object.freeze({
  4: Object.freeze({ id: 4, nk: 16, nn: 12, nt: 16, hash: 'SHA-256' }),
  5: Object.freeze({ id: 5, nk: 32, nn: 12, nt: 16, hash: 'SHA-512' }),
});

export function suiteOf(id) {
  const s = SUITES[id];
  if (!s) throw new FrameError('UNSUPPORTED', `cipher suite ${id}: mlskit/call does AES_128_GCM_SHA256_128 (4) and AES_256_GCM_SHA512_128 (5)`);
  return s;
}

const MAX64 = (1n << 64n) - 1n;

function byteLength(v) {
  let n = 0;
  while (v > 0n) {
    n++;
    v >>= 8n;
  }
  return n;
}

/** The header of (kid, ctr): config byte, then KID and CTR in their minimal big-endian form. */
export function encodeHeader(kid, ctr) {
  if (kid < 0n || kid > MAX64 || ctr < 0n || ctr > MAX64) throw new FrameError('INVALID_ARGUMENT', 'KID and CTR are unsigned 64-bit');
  const kl = kid < 8n ? 0 : byteLength(kid);
  const cl = ctr < 8n ? 0 : byteLength(ctr);
  const out = new Uint8Array(1 + kl + cl);
  out[0] = (kl === 0 ? Number(kid) << 4 : 0x80 | (kl - 1) << 4) | (cl === 0 ? Number(ctr) : 0x08 | (cl - 1));
  for (let i = 0, v = kid; i < kl; i++, v >>= 8n) out[kl - i] = Number(v & 0xffn);
  for (let i = 0, v = ctr; i < cl; i++, v >>= 8n) out[kl + cl - i] = Number(v & 0xffn);
  return out;
}

function label(text, kid, suite) {
  const t = new TextEncoder().encode(text);
  const out = new Uint8Array(t.length + 10);
  out.set(t);
  new DataView(out.buffer).setBigUint64(t.length, kid);
  out[t.length + 8] = suite >> 8;
  out[t.length + 9] = suite & 0xff;
  return out;
}

/**
 * A base key as a non-extractable HKDF key; wipes `raw` (the caller's copy) once imported. MLS
 * base keys are Nk bytes (§5.2; `length` checks that), the RFC's generic derivation takes any.
 */
export async function importBaseKey(raw, length) {
  if (!(raw instanceof Uint8Array) || raw.length === 0 || (length !== undefined && raw.length !== length)) {
    throw new FrameError('INVALID_ARGUMENT', `base key must be ${length ?? 'at least 1'} bytes`);
  }
  try {
    return await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey', 'deriveBits']);
  } finally {
    raw.fill(0);
  }
}

/** derive_key_salt (§4.4.2): {key: AES-GCM CryptoKey (non-extractable), salt: Uint8Array(Nn)}. */
export async function deriveKeySalt(baseKey, kid, suite) {
  // WebCrypto's HKDF is Extract(salt = "") then Expand(info), as the RFC's derivation
  const params = (text) => ({ name: 'HKDF', hash: suite.hash, salt: new Uint8Array(0), info: label(text, kid, suite.id) });
  const [key, salt] = await Promise.all([
    crypto.subtle.deriveKey(params('SFrame 1.0 Secret key '), baseKey, { name: 'AES-GCM', length: suite.nk * 8 }, false, ['encrypt', 'decrypt']),
    crypto.subtle.deriveBits(params('SFrame 1.0 Secret salt '), baseKey, suite.nn * 8),
  ]);
  return { key, salt: new Uint8Array(salt) };
}
