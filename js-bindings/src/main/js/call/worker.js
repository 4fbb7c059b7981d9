// The call's worker (mlskit/call): holds the media keys and runs the encoded transforms. The page
// sends each epoch's exporter output here (transferred, so the page keeps no copy); the keys
// derived from it are non-extractable CryptoKeys that never leave this worker. Where the package's
// wasm-gc build loads here, audio frames are sealed and opened by its own AES-GCM (faster than
// WebCrypto on small frames), and the epoch's raw base key is then also held in this worker's
// memory until the epoch is erased (docs/call.md, Keys); elsewhere WebCrypto does every frame.
//   page -> worker: {type: 'configure', options} | {type: 'epoch', seq, epoch, baseKey, myLeaf, memberLeaves}
//                   | {type: 'streams', role, id, contextId, readable, writable} (createEncodedStreams)
//                   | {type: 'stats', seq} | {type: 'leave', seq}
//   worker -> page: {type: 'done', seq, error?} | {type: 'stats', seq, stats}
// RTCRtpScriptTransform delivers its streams as an 'rtctransform' event with {role, id, contextId} options.
import { KeyRing } from './key-ring.js';
import { CallStats, pipeFrames } from './frame-transform.js';

let ring = null;
let small = null; // {cipher: mlskit/sframe, build} once loaded, false when it cannot be
const stats = new CallStats();
let queue = Promise.resolve();

// The package's wasm-gc build, loaded once; null where it cannot load (WebCrypto does every frame).
// Its JS build is slower than WebCrypto even on audio frames (docs/benchmarks/call.md): not used.
async function smallFrameCipher() {
  if (small === null) {
    try {
      const mls = await import('../index.js');
      if (!mls.wasmGcSupported()) throw new Error('no WasmGC');
      const build = await mls.init({ build: 'wasm-gc' });
      small = { cipher: await import('../sframe.js'), build };
    } catch {
      small = false;
    }
  }
  return small || null;
}

function reply(msg) {
  self.postMessage(msg);
}

async function handle(m) {
  switch (m.type) {
    case 'configure': {
      const { frameCipher = 'auto', ...options } = m.options ?? {};
      const pkg = frameCipher === 'auto' ? await smallFrameCipher() : null;
      ring = new KeyRing({ ...options, smallFrameCipher: pkg?.cipher ?? null });
      return { smallFrames: pkg ? pkg.build : 'webcrypto' };
    }
    case 'epoch':
      if (!ring) throw Object.assign(new Error('not configured'), { code: 'INVALID_STATE' });
      await ring.installEpoch(BigInt(m.epoch), new Uint8Array(m.baseKey), m.myLeaf, m.memberLeaves);
      return undefined;
    case 'streams':
      pipeFrames(() => ring, stats, m);
      return undefined;
    case 'stats':
      ring?.eraseExpired();
      return { stats: stats.snapshot(), smallFrames: ring?.cipher ? small.build : 'webcrypto', epoch: ring?.epoch == null ? null : String(ring.epoch), held: (ring?.heldEpochs() ?? []).map(String) };
    case 'leave':
      ring?.eraseAll();
      return undefined;
    default:
      throw Object.assign(new Error(`unknown message ${m.type}`), { code: 'INVALID_ARGUMENT' });
  }
}

self.onmessage = (ev) => {
  const m = ev.data;
  // one message at a time: an epoch is installed before frames or later epochs use it
  queue = queue.then(() => handle(m)).then(
    (r) => reply({ type: 'done', seq: m.seq, ...r }),
    (e) => reply({ type: 'done', seq: m.seq, error: { code: e?.code ?? 'INTERNAL', message: String(e?.message ?? e) } }),
  );
};

if ('RTCTransformEvent' in self || 'onrtctransform' in self) {
  self.onrtctransform = (ev) => {
    const t = ev.transformer;
    pipeFrames(() => ring, stats, { readable: t.readable, writable: t.writable, ...t.options });
  };
}
