// A/B of two versions of mlskit/call's KeyRing in one Node process: per-frame encrypt and decrypt
// (and raw WebCrypto AES-GCM as the floor), rounds interleaved so that the machine's load hits
// every case alike; prints the best round of each in µs per frame. For changes to
// src/main/js/call/ measured on a busy machine, where two separate runs cannot be compared.
//   mkdir -p /tmp/a && for f in key-ring.js sframe-core.js; do git show REV:js-bindings/src/main/js/call/$f > /tmp/a/$f; done
// (Node's WebCrypto costs several times Chromium's per call: compare A with B, not with the browser.)
//   node js-bindings/scripts/keyring-ab-bench.mjs /tmp/a/key-ring.js js-bindings/src/main/js/call/key-ring.js [--size 100] [--rounds 20]
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args.splice(i, 2)[1]);
};
const size = opt('--size', 100);
const rounds = opt('--rounds', 20);
if (args.length !== 2) throw new Error('usage: keyring-ab-bench.mjs A/key-ring.js B/key-ring.js [--size N] [--rounds N]');
const [A, B] = await Promise.all(args.map((f) => import(pathToFileURL(path.resolve(f)).href).then((m) => m.KeyRing)));
const N = 3000;
const NONE = new Uint8Array(0);
const payload = crypto.getRandomValues(new Uint8Array(size));
const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(16)), 'AES-GCM', false, ['encrypt', 'decrypt']);
const iv = new Uint8Array(12);
const dv = new DataView(iv.buffer);
const aad = new Uint8Array(1);
const rawCt = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload));

// decrypt runs over frames made beforehand, each counter once; a fresh receiver when they run out
async function cases(KeyRing) {
  const base = crypto.getRandomValues(new Uint8Array(16));
  const tx = new KeyRing();
  await tx.installEpoch(1n, base.slice(), 0, [0, 1]);
  const maker = new KeyRing();
  await maker.installEpoch(1n, base.slice(), 0, [0, 1]);
  const frames = [];
  while (frames.length < 20000) frames.push((await maker.encrypt(0, NONE, payload)).frame);
  let rx = null;
  let k = frames.length;
  return {
    encrypt: () => tx.encrypt(0, NONE, payload),
    decrypt: async () => {
      if (k === frames.length) {
        k = 0;
        rx = new KeyRing({ replayWindow: 1 << 20 });
        await rx.installEpoch(1n, base.slice(), 1, [0, 1]);
      }
      return rx.decrypt(NONE, frames[k++]);
    },
  };
}

const a = await cases(A);
const b = await cases(B);
const all = {
  'raw encrypt': (i) => {
    dv.setUint32(8, i);
    return crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, payload);
  },
  'A encrypt': a.encrypt,
  'B encrypt': b.encrypt,
  'raw decrypt': () => crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), additionalData: aad }, key, rawCt),
  'A decrypt': a.decrypt,
  'B decrypt': b.decrypt,
};
const best = {};
for (let r = 0; r <= rounds; r++) {
  for (const [name, op] of Object.entries(all)) {
    const t = performance.now();
    for (let i = 0; i < N; i++) await op(i);
    const us = ((performance.now() - t) * 1000) / N;
    if (r > 0) best[name] = Math.min(best[name] ?? Infinity, us); // round 0 warms up
  }
}
console.log(`${size}-byte frames, Node ${process.version}, best of ${rounds} interleaved rounds of ${N}, µs per frame`);
for (const [name, us] of Object.entries(best)) console.log(`  ${name.padEnd(12)} ${us.toFixed(2)}`);
