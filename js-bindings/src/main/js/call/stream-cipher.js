// The per-frame hot path of the call's KeyRing (issue 16): each KID's AES-GCM key and salt are
// resolved once, so a frame awaits only WebCrypto's cipher; counters are Numbers (exact below
// 2^53) and the KID's header bytes are encoded once per stream. Measured in Chromium's worker,
// the BigInt header and nonce arithmetic, a second await and extra copies cost about as much as
// the AES-GCM call itself on a 100-byte frame (docs/benchmarks/call.md).
import { FrameError, encodeHeader } from './sframe-core.js';

/**
 * The largest counter a stream sends or accepts: 2^53 - 1 (at 1,000 frames per second, 285,000
 * years under one key). Frames claiming a larger one are MALFORMED to the KeyRing; mlskit/sframe's
 * senders start at 0 too, so no honest sender reaches it.
 */
export const MAX_CTR = Number.MAX_SAFE_INTEGER;

const TWO32 = 2 ** 32;

// WebCrypto copies its arguments when called, so each stream writes nonce and AAD into buffers of
// its own and reuses them. Measured in Chromium: a fresh small Uint8Array per argument costs
// ~5 µs per frame (V8 keeps small typed arrays on its heap and must move them out for Blink).

function scratch(n) {
  return new Uint8Array(new ArrayBuffer(n));
}

/** The nonce of `ctr` (§4.4.3: salt XOR counter, big-endian in the last bytes), written into `n`. */
function nonceInto(n, salt, ctr) {
  n.set(salt);
  const lo = ctr >>> 0;
  const end = n.length - 1;
  n[end] ^= lo & 0xff;
  n[end - 1] ^= (lo >>> 8) & 0xff;
  n[end - 2] ^= (lo >>> 16) & 0xff;
  n[end - 3] ^= lo >>> 24;
  if (ctr >= TWO32) {
    const hi = (ctr - lo) / TWO32; // below 2^21
    n[end - 4] ^= hi & 0xff;
    n[end - 5] ^= (hi >>> 8) & 0xff;
    n[end - 6] ^= (hi >>> 16) & 0xff;
  }
  return n;
}

/** A buffer at least `n` bytes long: `buf` or a larger one. */
function atLeast(buf, n) {
  return buf.length >= n ? buf : scratch(Math.max(n, 2 * buf.length));
}

function ctrLength(ctr) {
  if (ctr < 8) return 0;
  if (ctr < 0x100) return 1;
  if (ctr < 0x10000) return 2;
  if (ctr < 0x1000000) return 3;
  if (ctr < TWO32) return 4;
  let n = 4;
  for (let v = Math.floor(ctr / TWO32); v > 0; v = Math.floor(v / 256)) n++;
  return n;
}

/**
 * One sending KID: header template, key and salt, counter. `ready` settles once its keys are
 * derived; `erase()` drops them (a frame waiting for them then fails EXPIRED_EPOCH).
 */
export class SendStream {
  constructor(kid, keySaltPromise) {
    this.kid = kid; // BigInt
    const h = encodeHeader(kid, 0n);
    this.kidBytes = h.subarray(1); // the KID's own bytes, empty when it lives in the config byte
    this.config = h[0] & 0xf0;
    this.ctr = 0;
    this.key = null;
    this.salt = null;
    this.erased = false;
    this.iv = scratch(12);
    this.aadBuf = scratch(64);
    this.ready = keySaltPromise.then((ks) => {
      if (this.erased) ks.salt.fill(0);
      else {
        this.key = ks.key;
        this.salt = ks.salt;
      }
    });
    this.ready.catch(() => {}); // reported by the frame that awaits it
  }

  /** The next counter; taken before any await, so frames in flight never share one. */
  take() {
    const ctr = this.ctr;
    if (ctr >= MAX_CTR) throw new FrameError('COUNTER_EXHAUSTED', `KID ${this.kid} has sent 2^53 - 1 frames`);
    this.ctr = ctr + 1;
    return ctr;
  }

  /** Writes header(kid, ctr) into `out` at `at`; returns its length. */
  writeHeader(out, at, ctr) {
    const kl = this.kidBytes.length;
    const cl = ctrLength(ctr);
    const hl = 1 + kl + cl;
    out[at] = this.config | (cl === 0 ? ctr : 0x08 | (cl - 1));
    if (kl > 0) out.set(this.kidBytes, at + 1);
    for (let i = at + hl - 1, v = ctr; i > at + kl; i--) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return hl;
  }

  /** header(kid, ctr) | metadata: the AAD, in this stream's buffer (valid until the next frame). */
  aad(ctr, metadata) {
    this.aadBuf = atLeast(this.aadBuf, 1 + this.kidBytes.length + 8 + metadata.length);
    const hl = this.writeHeader(this.aadBuf, 0, ctr);
    if (metadata.length > 0) this.aadBuf.set(metadata, hl);
    return this.aadBuf.subarray(0, hl + metadata.length);
  }

  /** The nonce of `ctr`, in this stream's buffer (valid until the next frame). */
  nonce(ctr) {
    return nonceInto(this.iv, this.salt, ctr);
  }

  erase() {
    this.erased = true;
    this.iv.fill(0);
    this.aadBuf.fill(0);
    this.key = null;
    this.salt?.fill(0);
    this.salt = null;
  }
}

/** One receiving KID (created once a frame authenticated under it): key, salt, sender, replay window. */
export class ReceiveStream {
  constructor(kid, leaf, contextId, keySalt, windowSize) {
    this.kid = kid; // BigInt
    this.leaf = leaf;
    this.contextId = contextId; // BigInt
    this.key = keySalt.key;
    this.salt = keySalt.salt;
    this.window = new ReplayWindow(windowSize);
    this.iv = scratch(12);
    this.aadBuf = scratch(64);
  }

  /** The nonce of `ctr`, in this stream's buffer (valid until the next frame). */
  nonce(ctr) {
    return nonceInto(this.iv, this.salt, ctr);
  }

  /** header | metadata (non-empty), in this stream's buffer (valid until the next frame). */
  aad(header, metadata) {
    const n = header.length + metadata.length;
    this.aadBuf = atLeast(this.aadBuf, n);
    const out = this.aadBuf.subarray(0, n);
    out.set(header);
    out.set(metadata, header.length);
    return out;
  }

  erase() {
    this.key = null;
    this.salt.fill(0);
    this.iv.fill(0);
    this.aadBuf.fill(0);
  }
}

/** Anti-replay for one receiving KID (§9.3): the highest counter accepted and a bitmap below it. */
export class ReplayWindow {
  constructor(size) {
    this.size = size;
    this.bits = new Uint8Array(size);
    this.highest = -1;
  }

  check(ctr) {
    if (ctr > this.highest) return;
    if (this.highest - ctr >= this.size) throw new FrameError('REPLAY', `CTR ${ctr} is older than the replay window`);
    if (this.bits[ctr % this.size]) throw new FrameError('REPLAY', `CTR ${ctr} was already accepted`);
  }

  // after check() passed and the frame authenticated, so a forgery cannot move the window
  accept(ctr) {
    if (ctr > this.highest) {
      if (this.highest < 0 || ctr - this.highest >= this.size) {
        this.bits.fill(0);
      } else {
        for (let k = this.highest + 1; k < ctr; k++) this.bits[k % this.size] = 0;
      }
      this.highest = ctr;
    }
    this.bits[ctr % this.size] = 1;
  }
}

function readNumber(bytes, at, len, what) {
  if (at + len > bytes.length) throw new FrameError('MALFORMED', `frame ends inside the header's ${what}`);
  // RFC 9605 §4.3: values 0-7 live in the config byte; longer forms must be minimal
  if (len > 1 && bytes[at] === 0) throw new FrameError('MALFORMED', `non-minimal ${what} encoding`);
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + bytes[at + i];
  if (v < 8) throw new FrameError('MALFORMED', `non-minimal ${what} encoding`);
  return v;
}

function readBig(bytes, at, len, what) {
  if (at + len > bytes.length) throw new FrameError('MALFORMED', `frame ends inside the header's ${what}`);
  if (bytes[at] === 0) throw new FrameError('MALFORMED', `non-minimal ${what} encoding`);
  let v = 0n;
  for (let i = 0; i < len; i++) v = v << 8n | BigInt(bytes[at + i]);
  return v;
}

/**
 * {kid, ctr, length} of a frame's header, as decodeHeader, with the KID a Number when it has at
 * most 6 bytes (a BigInt otherwise: one KID always gets the same type) and the counter a Number
 * up to MAX_CTR (a BigInt above, which the KeyRing refuses once it knows the KID).
 */
export function parseHeader(bytes) {
  if (bytes.length < 1) throw new FrameError('MALFORMED', 'empty frame');
  const c = bytes[0];
  let at = 1;
  let kid;
  let ctr;
  if (c & 0x80) {
    const n = ((c >> 4) & 7) + 1;
    kid = n <= 6 ? readNumber(bytes, at, n, 'KID') : readBig(bytes, at, n, 'KID');
    at += n;
  } else {
    kid = (c >> 4) & 7;
  }
  if (c & 0x08) {
    const n = (c & 7) + 1;
    if (n <= 6) {
      ctr = readNumber(bytes, at, n, 'CTR');
    } else {
      const big = readBig(bytes, at, n, 'CTR');
      ctr = big > BigInt(MAX_CTR) ? big : Number(big);
    }
    at += n;
  } else {
    ctr = c & 7;
  }
  return { kid, ctr, length: at };
}
