// The call's small-frame path (issue 16): a KID's frames sealed and opened synchronously by the
// package's own AES-GCM (mlskit/sframe's SFrameContext, sfu-keying compiled to wasm-gc). On a
// 100-byte audio frame that is faster than WebCrypto's (no promise, no copy into Blink; measured
// in docs/benchmarks/call.md); on a 6 KB video frame WebCrypto is several times faster, so the
// KeyRing uses this path only for the KIDs of streams it is told are small (audio).
//
// Same RFC 9605 frames as the WebCrypto path (stream-cipher.js): key and salt per KID from the same
// base key (§4.4.2), header | ciphertext, header | metadata as AAD, so either path opens what the
// other sealed. One SFrameContext per KID, so a KID's counters live in exactly one place.
import { FrameError } from './sframe-core.js';
import { MAX_CTR, ReplayWindow } from './stream-cipher.js';

// mlskit/sframe's errors carry the same codes; the call's callers see FrameErrors only
function frameError(e) {
  const code = e !== null && typeof e === 'object' && typeof e.code === 'string' ? e.code : 'INTERNAL';
  return new FrameError(code, String(e?.message ?? e));
}

function whole(bytes) {
  // the frame transform hands `.buffer` to WebRTC: it must be exactly the frame
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function pow2AtLeast(n) {
  let p = 32;
  while (p < n) p *= 2;
  return p;
}

/** One sending KID on the package's cipher; its counter is the SFrameContext's, mirrored here. */
export class PackageSendStream {
  constructor(kid, cipher, suite, baseKey) {
    this.kid = kid; // BigInt
    this.sync = true;
    this.ctr = 0;
    try {
      this.ctx = new cipher.SFrameContext({ cipherSuite: suite, replayWindow: 32 });
      this.ctx.addSendKey(kid, baseKey); // derives key and salt inside the package, copies the base key
    } catch (e) {
      this.ctx?.free();
      throw frameError(e);
    }
  }

  /** {frame, ctr}: `metadata` in front of the SFrame frame when keepClear (an encoded transform's clear bytes). */
  seal(metadata, payload, keepClear) {
    const ctr = this.ctr;
    // the package counts to 2^64; the call's counters stop where the WebCrypto path's do
    if (ctr >= MAX_CTR) throw new FrameError('COUNTER_EXHAUSTED', `KID ${this.kid} has sent 2^53 - 1 frames`);
    let sealed;
    try {
      sealed = this.ctx.encrypt(this.kid, payload, metadata);
    } catch (e) {
      throw frameError(e);
    }
    this.ctr = ctr + 1; // the package's counter moved with this frame
    if (!keepClear || metadata.length === 0) return { frame: whole(sealed), ctr };
    const frame = new Uint8Array(metadata.length + sealed.length);
    frame.set(metadata);
    frame.set(sealed, metadata.length);
    return { frame, ctr };
  }

  erase() {
    this.ctx.free(); // erases the KID's key and salt in the package's memory
  }
}

/**
 * One receiving KID on the package's cipher. The replay window is the WebCrypto path's (checked
 * before, moved after the package authenticated the frame), so its semantics are the same on both
 * paths; the package's own window is at least as large and sees the same accepted counters, so it
 * never refuses a frame this one lets through.
 */
export class PackageReceiveStream {
  constructor(kid, leaf, contextId, cipher, suite, baseKey, windowSize) {
    this.kid = kid;
    this.leaf = leaf;
    this.contextId = contextId; // BigInt
    this.sync = true;
    this.window = new ReplayWindow(windowSize);
    try {
      this.ctx = new cipher.SFrameContext({ cipherSuite: suite, replayWindow: pow2AtLeast(windowSize) });
      this.ctx.addReceiveKey(kid, baseKey);
    } catch (e) {
      this.ctx?.free();
      throw frameError(e);
    }
  }

  /** The plaintext of `frame` (whole SFrame frame) with `metadata` as extra AAD; throws FrameError. */
  open(metadata, frame) {
    try {
      return this.ctx.decrypt(frame, metadata);
    } catch (e) {
      throw frameError(e);
    }
  }

  erase() {
    this.ctx.free();
  }
}
