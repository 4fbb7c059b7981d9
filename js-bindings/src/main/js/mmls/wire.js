// The frames MmlsPeer sends over a relay: a 1-byte type, then the body, which starts with the
// session id (opaque<V>, so a relay can carry several sessions and a peer drops the others'
// frames unread) followed by a log entry (ENTRY) or a LogSummary (SUMMARY). Lengths are RFC 9420
// variable-size integers (§2.1.2).

export const FrameType = Object.freeze({ ENTRY: 1, SUMMARY: 2 });

const decoder = new TextDecoder('utf-8', { fatal: true });

function varint(n) {
  if (n < 0x40) return [n];
  if (n < 0x4000) return [0x40 | (n >> 8), n & 0xff];
  if (n < 0x40000000) return [0x80 | (n >>> 24), (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  throw new RangeError('length too large');
}

/** A bounded reader; every read returns null past the end or on a non-minimal length. */
class Reader {
  constructor(b, pos = 0, end = b.length) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  varint() {
    if (this.pos >= this.end) return null;
    const first = this.b[this.pos];
    const n = 1 << (first >> 6);
    if (n === 8 || this.pos + n > this.end) return null;
    let v = first & 0x3f;
    for (let i = 1; i < n; i++) v = v * 256 + this.b[this.pos + i];
    if ((n === 2 && v < 0x40) || (n === 4 && v < 0x4000)) return null;
    this.pos += n;
    return v;
  }

  opaque() {
    const n = this.varint();
    if (n === null || this.pos + n > this.end) return null;
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32() {
    if (this.pos + 4 > this.end) return null;
    const b = this.b;
    const v = ((b[this.pos] << 24) | (b[this.pos + 1] << 16) | (b[this.pos + 2] << 8) | b[this.pos + 3]) >>> 0;
    this.pos += 4;
    return v;
  }
}

/** A frame of `type` for session `sessionId` carrying `body`. */
export function encodeFrame(type, sessionId, body) {
  const len = varint(sessionId.length);
  const out = new Uint8Array(1 + len.length + sessionId.length + body.length);
  out[0] = type;
  out.set(len, 1);
  out.set(sessionId, 1 + len.length);
  out.set(body, 1 + len.length + sessionId.length);
  return out;
}

/** {type, sessionId, body} of a frame, or null when `bytes` is not one (unknown type, cut short). */
export function decodeFrame(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) return null;
  const type = bytes[0];
  if (type !== FrameType.ENTRY && type !== FrameType.SUMMARY) return null;
  const r = new Reader(bytes, 1);
  const sessionId = r.opaque();
  if (sessionId === null) return null;
  return { type, sessionId, body: bytes.subarray(r.pos) };
}

/**
 * A LogSummary as a Map author -> count (the head hashes matter only to the engine), or null
 * when it is not one. Used to tell whether a peer holds entries we lack.
 */
export function summaryCounts(bytes) {
  const r = new Reader(bytes);
  const n = r.varint();
  if (n === null || r.pos + n !== bytes.length) return null;
  const v = new Reader(bytes, r.pos, r.pos + n);
  const out = new Map();
  while (v.pos < v.end) {
    const author = v.opaque();
    const count = v.u32();
    const hash = v.opaque();
    if (author === null || count === null || hash === null) return null;
    let name;
    try {
      name = decoder.decode(author);
    } catch {
      return null;
    }
    out.set(name, count);
  }
  return out;
}

/** Whether `theirs` (counts) holds entries `ours` lacks: a longer log, or an author we have not seen. */
export function holdsMore(theirs, ours) {
  for (const [author, count] of theirs) {
    if (count > (ours.get(author) ?? 0)) return true;
  }
  return false;
}

export function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The session id inside a send group's id (opaque label<V> || opaque session_id<V> || opaque owner<V>). */
export function sessionIdOf(groupId) {
  const r = new Reader(groupId);
  const label = r.opaque();
  const id = label === null ? null : r.opaque();
  if (id === null) throw new Error('not a send group id');
  return id.slice();
}
