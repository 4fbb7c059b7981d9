// mlskit/call's small-frame path (issue 16): the KeyRing sealing and opening the KIDs of audio
// streams with the package's own AES-GCM (mlskit/sframe's SFrameContext, the build under test)
// next to the WebCrypto path: frames cross between the paths both ways and to mlskit/sframe,
// counters never repeat whichever path seals a KID, replayed and tampered frames are dropped and
// counted on both, and erasing an epoch frees the package's contexts and wipes the raw base key.
import test from 'node:test';
import assert from 'node:assert/strict';
import { KeyRing, CallStats, encryptFrame, decryptFrame, FrameError, EXPORTER_LABEL } from 'mlskit/call';
import * as sframe from 'mlskit/sframe';
import { threeMembers, sameBytes } from './setup.mjs';

const enc = new TextEncoder();
const dec = new TextDecoder();
const NONE = new Uint8Array(0);

/** mlskit/sframe with an SFrameContext that records what the KeyRing does with it. */
function spyCipher() {
  const made = [];
  const freed = new Set();
  const keys = [];
  class SFrameContext extends sframe.SFrameContext {
    constructor(options) {
      super(options);
      made.push(this);
    }

    addSendKey(kid, baseKey) {
      keys.push(baseKey);
      super.addSendKey(kid, baseKey);
    }

    addReceiveKey(kid, baseKey) {
      keys.push(baseKey);
      super.addReceiveKey(kid, baseKey);
    }

    free() {
      freed.add(this);
      super.free();
    }
  }
  return { cipher: { SFrameContext }, made, freed, keys };
}

/** A ring per group; `small[i]` gives ring i the package's cipher. */
async function rings(groups, small, options = {}) {
  const clock = { t: 0 };
  const out = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    const r = new KeyRing({ now: () => clock.t, ...options, smallFrameCipher: small[i] ?? null });
    await r.installEpoch(g.epoch, g.exportSecret(EXPORTER_LABEL, NONE, 16), g.myLeafIndex, g.members().map((m) => m.leafIndex));
    out.push(r);
  }
  return { rings: out, clock };
}

/** A commit by groups[0], merged by every group. */
function commit(groups) {
  const staged = groups[0].update();
  groups[0].merge(staged);
  for (const g of groups.slice(1)) g.merge(g.process(staged.message).commit);
}

function install(ring, g) {
  return ring.installEpoch(g.epoch, g.exportSecret(EXPORTER_LABEL, NONE, 16), g.myLeafIndex, g.members().map((m) => m.leafIndex));
}

const code = (c) => (e) => e instanceof FrameError && e.code === c;

test('a frame sealed by either path opens on the other, with and without clear bytes, and at mlskit/sframe', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups, [sframe, null, sframe]);
  const meta = enc.encode('rtp');
  // package (alice, small) -> WebCrypto (bob) and -> package (carol, small)
  for (let i = 0; i < 20; i++) {
    const sent = await r[0].encrypt(0, meta, enc.encode(`opus ${i}`), true);
    assert.equal(sent.ctr, BigInt(i));
    assert.equal(sent.kid, r[0].kidFor(0));
    const atBob = await r[1].decrypt(meta, sent.frame, false);
    assert.equal(dec.decode(atBob.plaintext), `opus ${i}`);
    assert.equal(atBob.ctr, BigInt(i));
    assert.equal(atBob.senderLeaf, groups[0].myLeafIndex);
    const atCarol = await r[2].decrypt(meta, sent.frame, true);
    assert.equal(dec.decode(atCarol.plaintext), `opus ${i}`);
    assert.equal(atCarol.contextId, 0n);
  }
  assert.equal(r[0].senderCipher(0), 'package');
  // WebCrypto (bob) -> package (alice, small)
  for (let i = 0; i < 20; i++) {
    const sent = await r[1].encrypt(3, meta, enc.encode(`webcrypto ${i}`));
    const got = await r[0].decrypt(meta, sent.frame, true);
    assert.equal(dec.decode(got.plaintext), `webcrypto ${i}`);
    assert.equal(got.senderLeaf, groups[1].myLeafIndex);
    assert.equal(got.contextId, 3n);
    assert.equal(got.ctr, BigInt(i));
  }
  assert.equal(r[1].senderCipher(3), 'webcrypto');
  // the clear-bytes forms cross too (a transform's codec bytes in front, authenticated)
  const w = await r[0].encryptWithClear(1, meta, enc.encode('clear'), true);
  sameBytes(w.frame.subarray(0, meta.length), meta);
  assert.equal(w.frame.byteOffset, 0);
  assert.equal(w.frame.byteLength, w.frame.buffer.byteLength, 'the frame is its whole buffer (a transform hands .buffer on)');
  assert.equal(dec.decode((await r[1].decryptWithClear(meta.length, w.frame)).plaintext), 'rtpclear');
  const v = await r[1].encryptWithClear(1, meta, enc.encode('back'));
  const back = await r[0].decryptWithClear(meta.length, v.frame, true);
  assert.equal(dec.decode(back.plaintext), 'rtpback');
  assert.equal(back.plaintext.byteLength, back.plaintext.buffer.byteLength);
  // mlskit/sframe's SFrameKeys opens the package path's frames, and its frames open there
  const keys = new sframe.SFrameKeys({ cipherSuite: 4 });
  keys.onEpoch(groups[1]);
  const p = await r[0].encrypt(2, meta, enc.encode('to sframe'), true);
  const viaKeys = keys.decrypt(p.frame, meta);
  assert.equal(dec.decode(viaKeys.plaintext), 'to sframe');
  assert.equal(viaKeys.counter, 0n);
  const carolKeys = new sframe.SFrameKeys({ cipherSuite: 4 });
  carolKeys.onEpoch(groups[2]);
  const fromKeys = carolKeys.openStream().encrypt(enc.encode('from sframe'), meta);
  assert.equal(dec.decode((await r[0].decrypt(meta, fromKeys, true)).plaintext), 'from sframe');
  keys.free();
  carolKeys.free();
});

test('counters never repeat: streams on both paths in flight together, a KID keeps its path for the epoch', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups, [sframe, null, sframe]);
  const jobs = [];
  // contexts 0 and 1 small (package), 2 and 3 WebCrypto; 50 frames each, interleaved, unawaited
  for (let i = 0; i < 50; i++) for (const ctx of [0, 1, 2, 3]) jobs.push(r[0].encrypt(ctx, NONE, enc.encode('same'), ctx < 2));
  // asking context 0 for WebCrypto now changes nothing: its KID is the package's this epoch
  for (let i = 0; i < 10; i++) jobs.push(r[0].encrypt(0, NONE, enc.encode('same'), false));
  const sent = await Promise.all(jobs);
  assert.equal(new Set(sent.map((s) => `${s.kid}/${s.ctr}`)).size, sent.length);
  assert.equal(new Set(sent.map((s) => Buffer.from(s.frame).toString('hex'))).size, sent.length);
  assert.deepEqual([0, 1, 2, 3].map((c) => r[0].senderCipher(c)), ['package', 'package', 'webcrypto', 'webcrypto']);
  for (const ctx of [0, 1, 2, 3]) {
    const ctrs = sent.filter((s) => s.kid === r[0].kidFor(ctx)).map((s) => Number(s.ctr));
    const n = ctx === 0 ? 60 : 50;
    assert.deepEqual(ctrs, Array.from({ length: n }, (_, i) => i), `context ${ctx}: counters in order, each once`);
  }
  // the counter written in each frame is the one reported: both receivers read it back
  for (const s of sent) {
    assert.equal((await r[1].decrypt(NONE, s.frame)).ctr, s.ctr);
    assert.equal((await r[2].decrypt(NONE, s.frame, true)).ctr, s.ctr);
  }
  // a new epoch: the KID changes, counters start again from 0 on the path chosen then
  commit(groups);
  await install(r[0], groups[0]);
  const next = await r[0].encrypt(0, NONE, enc.encode('x'), false);
  assert.equal(next.ctr, 0n);
  assert.notEqual(next.kid, sent[0].kid);
  assert.equal(r[0].senderCipher(0), 'webcrypto');
});

test('replayed and tampered frames are dropped and counted on both paths, state unchanged', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups, [sframe, sframe, null]);
  const stats = new CallStats();
  const frames = [];
  for (let i = 0; i < 4; i++) frames.push((await r[0].encrypt(0, NONE, enc.encode(`a${i}`), true)).frame);
  for (const [ring, kind, id] of [[r[1], 'audio', 'pkg'], [r[2], 'audio', 'webcrypto'], [r[1], 'video', 'pkg-as-video']]) {
    const c = stats.open(id, 'decrypt', undefined, kind);
    const run = async (bytes) => {
      const f = { data: bytes.slice().buffer };
      return (await decryptFrame(ring, c, stats, f)) ? dec.decode(new Uint8Array(f.data)) : null;
    };
    const bad = frames[1].slice();
    bad[bad.length - 1] ^= 1;
    if (id === 'pkg-as-video') {
      // the KID's receiver on ring 1 is the package's (kept from the audio transform): same window
      assert.equal(await run(frames[1]), null);
      assert.equal(await run(frames[3]), 'a3');
      assert.deepEqual(c.errors, { REPLAY: 1 });
      continue;
    }
    // the first frame of a KID tampered: dropped, no receiver kept, the genuine frame then opens
    assert.equal(await run(bad), null);
    assert.equal(await run(frames[1]), 'a1');
    assert.equal(await run(frames[1]), null, 'replay');
    assert.equal(await run(bad), null, 'tampered replay');
    const late = frames[0].slice();
    late[late.length - 3] ^= 0x40;
    assert.equal(await run(late), null, 'tampered, older counter: the window does not move');
    assert.equal(await run(frames[0]), 'a0', 'an older counter inside the window opens once');
    assert.equal(await run(frames[0]), null);
    assert.equal(await run(frames[2]), 'a2');
    assert.deepEqual(c.errors, { AUTHENTICATION_FAILED: 2, REPLAY: 3 }, id);
    assert.equal(c.dropped, 5);
    assert.equal(c.frames, 3);
  }
  // an own-KID frame and a foreign one: UNKNOWN_KEY before any key is made on the package path
  await assert.rejects(r[0].decrypt(NONE, frames[0], true), code('UNKNOWN_KEY'));
  // the encrypt side counts too: no epoch on a fresh ring
  const c = stats.open('send', 'encrypt', 0n, 'audio');
  assert.equal(await encryptFrame(new KeyRing({ smallFrameCipher: sframe }), c, stats, { data: new Uint8Array(10).buffer }), false);
  assert.deepEqual(c.errors, { INVALID_STATE: 1 });
});

test('erasing an epoch (grace expiry, eraseAll) frees the package contexts and wipes the raw base key', async () => {
  const { groups } = threeMembers();
  const spy = [spyCipher(), spyCipher()];
  const { rings: r, clock } = await rings(groups, [spy[0].cipher, spy[1].cipher], { gracePeriodMs: 1000 });
  const old = await r[0].encrypt(0, NONE, enc.encode('old'), true);
  const old2 = await r[0].encrypt(0, NONE, enc.encode('old 2'), true);
  assert.equal(dec.decode((await r[1].decrypt(NONE, old.frame, true)).plaintext), 'old');
  assert.ok(spy[0].keys.length === 1 && spy[1].keys.length === 1);
  assert.ok(spy[0].keys[0].some((b) => b !== 0), 'the raw base key is held while the epoch is');
  // a commit: the old epoch stays for the grace period, then is erased on both sides
  commit(groups);
  await install(r[0], groups[0]);
  await install(r[1], groups[1]);
  assert.equal(spy[0].freed.size, 0);
  assert.equal(spy[1].freed.size, 0);
  clock.t = 1000;
  r[0].eraseExpired();
  assert.ok(spy[0].made.every((c) => spy[0].freed.has(c)), 'the sender\'s contexts of the old epoch are freed');
  assert.ok(spy[0].keys[0].every((b) => b === 0), 'its raw base key is wiped');
  // the receiver's epoch expires too: the frame after is EXPIRED_EPOCH, its context freed
  await assert.rejects(r[1].decrypt(NONE, old2.frame, true), code('EXPIRED_EPOCH'));
  assert.ok(spy[1].made.length > 0 && spy[1].made.every((c) => spy[1].freed.has(c)));
  assert.ok(spy[1].keys.every((k) => k.every((b) => b === 0)));
  // a freed context cannot be used (its keys are gone in the package)
  assert.throws(() => spy[0].made[0].encrypt(r[0].kidFor(0), enc.encode('x')), (e) => e.code === 'INVALID_STATE');
  // eraseAll on the current epoch: sender and receivers of both paths stop
  const now = await r[0].encrypt(0, NONE, enc.encode('now'), true);
  await r[0].encrypt(1, NONE, enc.encode('webcrypto stream'));
  r[0].eraseAll();
  assert.ok(spy[0].made.every((c) => spy[0].freed.has(c)));
  assert.ok(spy[0].keys.every((k) => k.every((b) => b === 0)));
  await assert.rejects(r[0].encrypt(0, NONE, enc.encode('after'), true), code('INVALID_STATE'));
  await assert.rejects(r[0].encrypt(1, NONE, enc.encode('after')), code('INVALID_STATE'));
  assert.ok(now.frame.length > 0);
});

test('a ring without the package cipher, or with frames not marked small, never makes a package context', async () => {
  const { groups } = threeMembers();
  const spy = spyCipher();
  const { rings: r } = await rings(groups, [spy.cipher, null]);
  const f = await r[0].encrypt(0, NONE, enc.encode('video'));
  await r[0].decrypt(NONE, (await r[1].encrypt(0, NONE, enc.encode('v'))).frame);
  assert.equal(spy.made.length, 0);
  assert.equal(spy.keys.length, 0);
  assert.equal(dec.decode((await r[1].decrypt(NONE, f.frame, true)).plaintext), 'video');
  assert.throws(() => new KeyRing({ smallFrameCipher: {} }), code('INVALID_ARGUMENT'));
});
