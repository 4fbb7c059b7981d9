// The frame cipher of a call, measured where it runs: in a worker. Per frame (100-byte audio,
// 6,250-byte 720p video), one frame at a time as a transform does: raw WebCrypto AES-128-GCM
// (the floor), mlskit/call's KeyRing (WebCrypto plus header, nonce, counter, replay window), and
// mlskit/sframe's SFrameContext (the package's own AES-GCM, TeaVM build `build`).
import * as mls from '../node_modules/mlskit/dist/index.js';
import { SFrameContext } from '../node_modules/mlskit/dist/sframe.js';
import { KeyRing } from '../node_modules/mlskit/dist/call/index.js';

const NONE = new Uint8Array(0);

/** µs per operation: warm up for 300 ms, then `rounds` rounds of as many operations as fit in budgetMs. */
async function measure(op, budgetMs, rounds) {
  let n = 0;
  const t0 = performance.now();
  while (n < 2 || performance.now() - t0 < 300) {
    await op(n++);
  }
  const per = (performance.now() - t0) / n;
  const iterations = Math.max(5, Math.round(budgetMs / Math.max(per, 0.001)));
  const results = [];
  for (let r = 0; r < rounds; r++) {
    const s = performance.now();
    for (let i = 0; i < iterations; i++) await op(n++);
    results.push(((performance.now() - s) * 1000) / iterations);
  }
  return { mean: results.reduce((a, b) => a + b, 0) / rounds, best: Math.min(...results), iterations };
}

async function rawCases(size, budget, rounds) {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(16)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const iv = new Uint8Array(12);
  const aad = new Uint8Array(1);
  const payload = crypto.getRandomValues(new Uint8Array(size));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload));
  const dv = new DataView(iv.buffer);
  return {
    encrypt: await measure(async (i) => {
      dv.setUint32(8, i);
      return crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload);
    }, budget, rounds),
    decrypt: await measure(async () => {
      dv.setUint32(8, 0);
      return crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, ct);
    }, budget, rounds),
  };
}

async function ringCases(size, budget, rounds) {
  const base = crypto.getRandomValues(new Uint8Array(16));
  const tx = new KeyRing();
  const rx = new KeyRing({ replayWindow: 1 << 20 });
  await tx.installEpoch(1n, base.slice(), 0, [0, 1]);
  await rx.installEpoch(1n, base.slice(), 1, [0, 1]);
  const payload = crypto.getRandomValues(new Uint8Array(size));
  // frames to decrypt: each counter once (the replay window refuses repeats), made beforehand
  const frames = [];
  const encrypt = await measure(async () => {
    const f = (await tx.encrypt(0, NONE, payload)).frame;
    if (frames.length < 200_000) frames.push(f);
  }, budget, rounds);
  while (frames.length < 4000) frames.push((await tx.encrypt(0, NONE, payload)).frame);
  // when the frames run out, a fresh receiver takes them again (its key derivation is spread over thousands of frames)
  let rxNow = rx;
  let k = 0;
  const decrypt = await measure(async () => {
    if (k === frames.length) {
      k = 0;
      rxNow = new KeyRing({ replayWindow: 1 << 20 });
      await rxNow.installEpoch(1n, base.slice(), 1, [0, 1]);
    }
    await rxNow.decrypt(NONE, frames[k++]);
  }, budget, rounds);
  return { encrypt, decrypt };
}

async function packageCases(size, budget, rounds) {
  const base = crypto.getRandomValues(new Uint8Array(16));
  const tx = new SFrameContext({ cipherSuite: 4 });
  const rx = new SFrameContext({ cipherSuite: 4, replayWindow: 1 << 20 });
  tx.addSendKey(1, base);
  rx.addReceiveKey(1, base);
  const payload = crypto.getRandomValues(new Uint8Array(size));
  const frames = [];
  const encrypt = await measure(async () => {
    const f = tx.encrypt(1, payload);
    if (frames.length < 200_000) frames.push(f);
  }, budget, rounds);
  while (frames.length < 4000) frames.push(tx.encrypt(1, payload));
  let rxNow = rx;
  let k = 0;
  const decrypt = await measure(async () => {
    if (k === frames.length) {
      k = 0;
      rxNow.free();
      rxNow = new SFrameContext({ cipherSuite: 4, replayWindow: 1 << 20 });
      rxNow.addReceiveKey(1, base);
    }
    rxNow.decrypt(frames[k++]);
  }, budget, rounds);
  tx.free();
  rxNow.free();
  return { encrypt, decrypt };
}

self.onmessage = async (ev) => {
  const { build, budget = 300, rounds = 3, sizes = [100, 6250] } = ev.data;
  try {
    const used = await mls.init({ build });
    const rows = [];
    for (const size of sizes) {
      rows.push({ size, impl: 'WebCrypto AES-GCM (raw)', ...(await rawCases(size, budget, rounds)) });
      rows.push({ size, impl: 'mlskit/call KeyRing (WebCrypto)', ...(await ringCases(size, budget, rounds)) });
      rows.push({ size, impl: `mlskit/sframe SFrameContext (${used})`, ...(await packageCases(size, budget, rounds)) });
    }
    self.postMessage({ build: used, rows });
  } catch (e) {
    self.postMessage({ error: String(e && e.stack ? e.stack : e) });
  }
};
