// Byte helpers shared by the client modules: base64 (the DS's JSON), base64url (group ids in
// URLs), hex (group ids in the API) and UTF-8. No Buffer: the same code runs in browsers.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function utf8(s) {
  return utf8Encoder.encode(s);
}

export function fromUtf8(b) {
  return utf8Decoder.decode(b);
}

export function toBase64(b) {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64Url(b) {
  return toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function toHex(b) {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s) {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

/** The MLSMessages back to back: one `message/mls` body. */
export function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An Int8Array view: the form the native layer copies fastest into a Java byte[]. */
export function view(u) {
  return new Int8Array(u.buffer, u.byteOffset, u.byteLength);
}
