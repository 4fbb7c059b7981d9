// The frame cipher of a call, measured where it runs: in a worker. Per frame (100-byte audio,
// 6,250-byte 720p video), one frame at a time as a transform does: raw WebCrypto AES-128-GCM
// (the floor), raw plus the one copy any SFrame frame needs, mlskit/call's KeyRing (WebCrypto
// plus header, nonce, counter, replay window), and mlskit/sframe's SFrameContext (the package's
// own AES-GCM, TeaVM build `build`).
import * as mls from '../node_modules/mlskit/dist/index.js';
import * as sframe from '../node_modules/mlskit/dist/sframe.js';
import { KeyRing } from '../node_modules/mlskit/dist/call/index.js';

const NONE = new Uint8Array(0);

/**
 * A measured operation: warm() runs it for 300 ms and sizes a round to budgetMs; round() returns
 * µs per operation of one round. The cases' rounds are interleaved (raw, ring, package, raw, ...)
 * so that a busy machine slows all of them alike.
 */
function measured(op, budgetMs) {
  let n = 0;
  let iterations = 5;
  const results = [];
  return {
    async warm() {
      const t0 = performance.now();
      while (n < 2 || performance.now() - t0 < 300) await op(n++);
      iterations = Math.max(5, Math.round(budgetMs / Math.max((performance.now() - t0) / n, 0.001)));
    },
    async round() {
      const s = performance.now();
      for (let i = 0; i < iterations; i++) await op(n++);
      results.push(((performance.now() - s) * 1000) / iterations);
    },
    result() {
      return { mean: results.reduce((a, b) => a + b, 0) / results.length, best: Math.min(...results), iterations, rounds: results };
    },
  };
}

async function measureAll(cases, rounds) {
  for (const c of cases) await c.warm();
  for (let r = 0; r < rounds; r++) for (const c of cases) await c.round();
  return cases.map((c) => c.result());
}

// Each implementation gives {encrypt, decrypt}: operations that take a running index. Decrypt
// runs over frames made beforehand, each counter once (the replay window refuses repeats); when
// they run out a fresh receiver takes them again (its key derivation spread over 4,000 frames).

async function raw(size) {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(16)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const iv = new Uint8Array(12);
  const dv = new DataView(iv.buffer);
  const aad = new Uint8Array(1);
  const payload = crypto.getRandomValues(new Uint8Array(size));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload));
  const fixed = new Uint8Array(12);
  return {
    encrypt: (i) => {
      dv.setUint32(8, i);
      return crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload);
    },
    decrypt: () => crypto.subtle.decrypt({ name: 'AES-GCM', iv: fixed, additionalData: aad }, key, ct),
  };
}

// What any SFrame on WebCrypto adds to raw at least: the frame is header | ciphertext, and
// WebCrypto's output cannot take the header, so it is copied once into the frame's buffer.
async function rawWithCopy(size) {
  const r = await raw(size);
  const copy = (ct) => {
    const out = new Uint8Array(2 + ct.byteLength);
    out[0] = 0x88;
    out.set(new Uint8Array(ct), 2);
    return out;
  };
  return { encrypt: (i) => r.encrypt(i).then(copy), decrypt: () => r.decrypt().then((pt) => new Uint8Array(pt)) };
}

// small: the KeyRing's small-frame path (the package's AES-GCM, as the call's worker uses it for audio)
async function ring(size, small = false) {
  const opts = small ? { smallFrameCipher: sframe } : {};
  const base = crypto.getRandomValues(new Uint8Array(16));
  const receiver = async () => {
    const r = new KeyRing({ replayWindow: 1 << 20, ...opts });
    await r.installEpoch(1n, base.slice(), 1, [0, 1]);
    return r;
  };
  const tx = new KeyRing(opts);
  await tx.installEpoch(1n, base.slice(), 0, [0, 1]);
  const payload = crypto.getRandomValues(new Uint8Array(size));
  const maker = new KeyRing();
  await maker.installEpoch(1n, base.slice(), 0, [0, 1]);
  const frames = [];
  while (frames.length < 4000) frames.push((await maker.encrypt(0, NONE, payload)).frame);
  let rx = await receiver();
  let k = 0;
  return {
    encrypt: () => tx.encrypt(0, NONE, payload, small),
    // not an async function: returning decrypt's promise from one would add two microtask turns
    decrypt: () => {
      if (k === frames.length) {
        k = 0;
        return receiver().then((r) => {
          rx = r;
          return rx.decrypt(NONE, frames[k++], small);
        });
      }
      return rx.decrypt(NONE, frames[k++], small);
    },
  };
}

const { SFrameContext } = sframe;

// Two ways the video encrypt's output copy could go (issue 16), measured against raw + copy:
// growing WebCrypto's own buffer (what the KeyRing does) and copying into a buffer reused for
// every frame (not safe in a transform, where WebRTC may still hold the previous frame's buffer:
// it only shows what the allocation of a fresh buffer costs).
async function rawGrown(size) {
  const r = await raw(size);
  const grow = (ct) => {
    const n = ct.byteLength;
    const out = new Uint8Array(ct.transfer(2 + n));
    out.copyWithin(2, 0, n);
    out[0] = 0x88;
    return out;
  };
  return { encrypt: (i) => r.encrypt(i).then(grow), decrypt: () => r.decrypt().then((pt) => new Uint8Array(pt)) };
}

// Controls: one more promise turn and nothing else; the same plus a fresh buffer of the frame's
// size that is not written (allocation without the copy).
async function rawThen(size, alloc) {
  const r = await raw(size);
  const f = alloc ? (ct) => new Uint8Array(ct.byteLength + 2) : (ct) => ct;
  return { encrypt: (i) => r.encrypt(i).then(f), decrypt: () => r.decrypt() };
}

async function rawReused(size) {
  const r = await raw(size);
  const out = new Uint8Array(2 + size + 16);
  const copy = (ct) => {
    out[0] = 0x88;
    out.set(new Uint8Array(ct), 2);
    return out;
  };
  return { encrypt: (i) => r.encrypt(i).then(copy), decrypt: () => r.decrypt().then((pt) => new Uint8Array(pt)) };
}

function teavm(size) {
  const base = crypto.getRandomValues(new Uint8Array(16));
  const tx = new SFrameContext({ cipherSuite: 4 });
  tx.addSendKey(1, base);
  const maker = new SFrameContext({ cipherSuite: 4 });
  maker.addSendKey(1, base);
  const payload = crypto.getRandomValues(new Uint8Array(size));
  const frames = [];
  while (frames.length < 4000) frames.push(maker.encrypt(1, payload));
  const receiver = () => {
    const r = new SFrameContext({ cipherSuite: 4, replayWindow: 1 << 20 });
    r.addReceiveKey(1, base);
    return r;
  };
  let rx = receiver();
  let k = 0;
  return {
    encrypt: () => tx.encrypt(1, payload),
    decrypt: () => {
      if (k === frames.length) {
        k = 0;
        rx.free();
        rx = receiver();
      }
      return rx.decrypt(frames[k++]);
    },
  };
}

self.onmessage = async (ev) => {
  // ring: false leaves KeyRing out (it does not depend on the build: one page measures it);
  // lean: raw and the KeyRing only (the other rows' garbage is collected in the rows after them)
  const { build, budget = 300, rounds = 3, sizes = [100, 6250], ring: withRing = true, lean = false } = ev.data;
  try {
    const used = await mls.init({ build });
    const rows = [];
    for (const size of sizes) {
      const impls = [
        ['WebCrypto AES-GCM (raw)', await raw(size)],
        ...(withRing && !lean ? [['WebCrypto AES-GCM + frame copy', await rawWithCopy(size)]] : []),
        ...(withRing ? [['mlskit/call KeyRing (WebCrypto)', await ring(size)]] : []),
        ...(withRing && !lean && size > 1000 ? [['WebCrypto AES-GCM + output grown (transfer)', await rawGrown(size)],
          ['WebCrypto AES-GCM + copy into one reused buffer (unsafe)', await rawReused(size)],
          ['WebCrypto AES-GCM + one promise turn (control)', await rawThen(size, false)],
          ['WebCrypto AES-GCM + fresh buffer, not written (control)', await rawThen(size, true)]] : []),
        ...(withRing && used === 'wasm-gc' ? [[`mlskit/call KeyRing (package, ${used})`, await ring(size, true)]] : []),
        ...(lean ? [] : [[`mlskit/sframe SFrameContext (${used})`, teavm(size)]]),
      ];
      const enc = await measureAll(impls.map(([, o]) => measured(o.encrypt, budget)), rounds);
      const dec = await measureAll(impls.map(([, o]) => measured(o.decrypt, budget)), rounds);
      impls.forEach(([impl], i) => rows.push({ size, impl, encrypt: enc[i], decrypt: dec[i] }));
    }
    self.postMessage({ build: used, rows });
  } catch (e) {
    self.postMessage({ error: String(e && e.stack ? e.stack : e) });
  }
};
