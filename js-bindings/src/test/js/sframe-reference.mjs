// The plain reference of RFC 9605's header and frame sealing, with BigInt KIDs and counters and
// no buffers kept between frames: mlskit/call's fast path (src/main/js/call/stream-cipher.js) is
// checked against it on the RFC's vectors (call-frames.test.mjs, call-stream-cipher.test.mjs).
import { FrameError, encodeHeader } from '../../main/js/call/sframe-core.js';

function readValue(bytes, at, len, what) {
  if (at + len > bytes.length) throw new FrameError('MALFORMED', `frame ends inside the header's ${what}`);
  let v = 0n;
  for (let i = 0; i < len; i++) v = v << 8n | BigInt(bytes[at + i]);
  // RFC 9605 §4.3: values 0-7 live in the config byte; longer forms must be minimal
  if (v < 8n || (len > 1 && bytes[at] === 0)) throw new FrameError('MALFORMED', `non-minimal ${what} encoding`);
  return v;
}

/** {kid, ctr, length} of the header at the start of `bytes`; MALFORMED when truncated or not minimal. */
export function decodeHeader(bytes) {
  if (bytes.length < 1) throw new FrameError('MALFORMED', 'empty frame');
  const c = bytes[0];
  let at = 1;
  let kid;
  let ctr;
  if (c & 0x80) {
    const n = ((c >> 4) & 7) + 1;
    kid = readValue(bytes, at, n, 'KID');
    at += n;
  } else {
    kid = BigInt((c >> 4) & 7);
  }
  if (c & 0x08) {
    const n = (c & 7) + 1;
    ctr = readValue(bytes, at, n, 'CTR');
    at += n;
  } else {
    ctr = BigInt(c & 7);
  }
  return { kid, ctr, length: at };
}

function nonce(salt, ctr) {
  const n = salt.slice();
  let v = ctr;
  for (let i = n.length - 1; i >= 0 && v > 0n; i--, v >>= 8n) n[i] ^= Number(v & 0xffn);
  return n;
}

function concat(a, b) {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** header | AES-GCM(plaintext) with AAD = header | metadata (§4.4.3). */
export async function sealFrame(keySalt, kid, ctr, metadata, plaintext) {
  const header = encodeHeader(kid, ctr);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(keySalt.salt, ctr), additionalData: concat(header, metadata), tagLength: 128 },
    keySalt.key, plaintext);
  const out = new Uint8Array(header.length + ct.byteLength);
  out.set(header);
  out.set(new Uint8Array(ct), header.length);
  return out;
}

/** The plaintext of a frame whose header was decoded into `h`; AUTHENTICATION_FAILED when the tag does not verify. */
export async function openFrame(keySalt, h, metadata, frame, suite) {
  if (frame.length < h.length + suite.nt) throw new FrameError('MALFORMED', 'frame shorter than its header and tag');
  const header = frame.subarray(0, h.length);
  try {
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce(keySalt.salt, h.ctr), additionalData: concat(header, metadata), tagLength: 128 },
      keySalt.key, frame.subarray(h.length));
    return new Uint8Array(pt);
  } catch {
    throw new FrameError('AUTHENTICATION_FAILED', 'the frame does not authenticate under its KID\'s key');
  }
}
