// The per-frame work of the call's encoded transforms, apart from WebRTC so Node can test it:
// a sender encrypts each encoded frame under its own stream context, a receiver decrypts and
// drops what does not decrypt. Nothing is thrown into the media pipeline: a frame that cannot be
// handled is dropped and counted, per transform (one per RTP sender or receiver, so per sender).

/** Counters of one transform; `errors` counts dropped frames by code. */
function newCounters(role, contextId, kind) {
  return {
    role,
    contextId: contextId === undefined ? null : contextId,
    // 'audio' frames are small: the KeyRing seals and opens them with the package's cipher where it has it
    kind: kind === 'audio' || kind === 'video' ? kind : null,
    frames: 0,
    bytes: 0,
    dropped: 0,
    errors: {},
    epoch: null,
    kid: null,
    senderLeaf: null,
    epochs: {},
  };
}

/** Per-transform counters, reported to the page as plain objects (BigInts as decimal strings). */
export class CallStats {
  constructor() {
    this.byId = new Map();
  }

  open(id, role, contextId, kind) {
    if (this.byId.has(id)) throw new Error(`a transform with id ${id} exists`);
    const c = newCounters(role, contextId, kind);
    this.byId.set(id, c);
    return c;
  }

  drop(c, error) {
    const code = (error && typeof error.code === 'string') ? error.code : 'INTERNAL';
    c.dropped++;
    c.errors[code] = (c.errors[code] ?? 0) + 1;
  }

  snapshot() {
    const out = {};
    for (const [id, c] of this.byId) {
      out[id] = {
        ...c,
        contextId: c.contextId === null ? null : String(c.contextId),
        epoch: c.epoch === null ? null : String(c.epoch),
        kid: c.kid === null ? null : String(c.kid),
        errors: { ...c.errors },
        epochs: { ...c.epochs },
      };
    }
    return out;
  }
}

function bytesOf(data) {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

function mimeTypeOf(frame) {
  try {
    return typeof frame.getMetadata === 'function' ? String(frame.getMetadata().mimeType ?? '') : '';
  } catch {
    return '';
  }
}

/**
 * How many leading bytes of this frame stay in the clear: VP8's payload header (RFC 7741 §4.3:
 * the 3-byte frame tag, plus start code and size on key frames, 10 bytes). Chromium's VP8
 * depacketizer reads the key-frame bit from the first payload byte, before the receiving
 * transform runs: with it encrypted, a receiver that joins late (or lost a key frame) waits for a
 * key frame it never recognises. The bytes are authenticated as SFrame metadata. Other codecs
 * (Opus, VP9, whose RTP descriptor carries what the receiver needs) are encrypted whole.
 */
export function clearBytes(data, mimeType) {
  if (mimeType.toLowerCase() !== 'video/vp8' || data.length === 0) return 0;
  return Math.min(data.length, (data[0] & 1) === 0 ? 10 : 3);
}

/**
 * Encrypts one encoded frame (`{data: ArrayBuffer, getMetadata?}`) in place; returns true to pass
 * it on, false to drop it (no epoch yet, or any failure: media is never sent unencrypted).
 */
export async function encryptFrame(ring, counters, stats, frame) {
  try {
    const data = bytesOf(frame.data);
    const n = clearBytes(data, mimeTypeOf(frame));
    // the clear bytes and the SFrame frame in one buffer (one copy)
    const r = await ring.encryptWithClear(counters.contextId, data.subarray(0, n), data.subarray(n), counters.kind === 'audio');
    const out = r.frame;
    frame.data = out.buffer;
    counters.frames++;
    counters.bytes += out.length;
    counters.epoch = r.epoch;
    counters.kid = r.kid;
    return true;
  } catch (e) {
    stats.drop(counters, e);
    return false;
  }
}

/** Decrypts one encoded frame in place; false (dropped and counted) when it does not decrypt. */
export async function decryptFrame(ring, counters, stats, frame) {
  try {
    const data = bytesOf(frame.data);
    const n = clearBytes(data, mimeTypeOf(frame));
    const r = await ring.decryptWithClear(n, data, counters.kind === 'audio');
    const out = r.plaintext;
    frame.data = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.slice().buffer;
    counters.frames++;
    counters.bytes += out.length;
    counters.epoch = r.epoch;
    counters.kid = r.kid;
    counters.senderLeaf = r.senderLeaf;
    const k = String(r.epoch);
    counters.epochs[k] = (counters.epochs[k] ?? 0) + 1;
    return true;
  } catch (e) {
    stats.drop(counters, e);
    return false;
  }
}

/**
 * Pipes encoded frames from `readable` to `writable` through the role's transform. The
 * TransformStream runs one frame at a time, so frames keep their order.
 */
export function pipeFrames(ring, stats, { readable, writable, role, id, contextId, kind }) {
  const counters = stats.open(id, role, role === 'encrypt' ? BigInt(contextId) : undefined, kind);
  const step = role === 'encrypt' ? encryptFrame : decryptFrame;
  const transform = new TransformStream({
    async transform(frame, controller) {
      const r = ring();
      if (!r) {
        stats.drop(counters, { code: 'INVALID_STATE' }); // not configured yet: drop, never pass plaintext
      } else if (await step(r, counters, stats, frame)) {
        controller.enqueue(frame);
      }
    },
  });
  return readable.pipeThrough(transform).pipeTo(writable).catch(() => {
    // the peer connection closed the streams: nothing to report beyond the counters
  });
}
