// The call's worker (mlskit/call): holds the media keys and runs the encoded transforms. The page
// sends each epoch's exporter output here (transferred, so the page keeps no copy); the keys
// derived from it are non-extractable CryptoKeys that never leave this worker.
//   page -> worker: {type: 'configure', options} | {type: 'epoch', seq, epoch, baseKey, myLeaf, memberLeaves}
//                   | {type: 'streams', role, id, contextId, readable, writable} (createEncodedStreams)
//                   | {type: 'stats', seq} | {type: 'leave', seq}
//   worker -> page: {type: 'done', seq, error?} | {type: 'stats', seq, stats}
// RTCRtpScriptTransform delivers its streams as an 'rtctransform' event with {role, id, contextId} options.
import { KeyRing } from './key-ring.js';
import { CallStats, pipeFrames } from './frame-transform.js';

let ring = null;
const stats = new CallStats();
let queue = Promise.resolve();

function reply(msg) {
  self.postMessage(msg);
}

async function handle(m) {
  switch (m.type) {
    case 'configure':
      ring = new KeyRing(m.options);
      return undefined;
    case 'epoch':
      if (!ring) throw Object.assign(new Error('not configured'), { code: 'INVALID_STATE' });
      await ring.installEpoch(BigInt(m.epoch), new Uint8Array(m.baseKey), m.myLeaf, m.memberLeaves);
      return undefined;
    case 'streams':
      pipeFrames(() => ring, stats, m);
      return undefined;
    case 'stats':
      ring?.eraseExpired();
      return { stats: stats.snapshot(), epoch: ring?.epoch == null ? null : String(ring.epoch), held: (ring?.heldEpochs() ?? []).map(String) };
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
