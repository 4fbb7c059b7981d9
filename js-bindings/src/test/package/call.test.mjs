// mlskit/call through the packed package: the worker's key manager (WebCrypto SFrame) and frame
// transforms over real MLS groups, against mlskit/sframe's SFrameKeys (the build under test):
// interop both ways, counters per stream, replayed and tampered frames dropped and counted, an
// epoch change with frames in flight, and a removed member's frames refused after the epoch.
import test from 'node:test';
import assert from 'node:assert/strict';
import { KeyRing, CallStats, encryptFrame, decryptFrame, FrameError, Call, CallError, EXPORTER_LABEL, transformSupport, epochKeys } from 'mlskit/call';
import { SFrameKeys, SFrameError } from 'mlskit/sframe';
import { threeMembers, sameBytes, build } from './setup.mjs';

const enc = new TextEncoder();
const NONE = new Uint8Array(0);
const NK = { 4: 16, 5: 32 };

/** A KeyRing for each group at its current epoch, on a clock the test moves. */
async function rings(groups, options = {}) {
  const clock = { t: 0 };
  const out = [];
  for (const g of groups) {
    const r = new KeyRing({ now: () => clock.t, ...options });
    await install(r, g, options.cipherSuite ?? 4);
    out.push(r);
  }
  return { rings: out, clock };
}

function install(ring, group, suite = 4) {
  return ring.installEpoch(group.epoch, group.exportSecret(EXPORTER_LABEL, NONE, NK[suite]), group.myLeafIndex,
    group.members().map((m) => m.leafIndex));
}

function commitTo(groups, staged, committer = 0) {
  groups[committer].merge(staged);
  groups.forEach((g, i) => {
    if (i === committer) return;
    const r = g.process(staged.message);
    assert.equal(r.kind, 'commit');
    g.merge(r.commit);
  });
}

function frameOf(bytes) {
  return { data: bytes.slice().buffer };
}

test('frames of the WebCrypto key ring and of mlskit/sframe decrypt at each other (suites 4 and 5)', async () => {
  for (const suite of [4, 5]) {
    const { groups } = threeMembers();
    const { rings: r } = await rings(groups, { cipherSuite: suite });
    const java = groups.map((g) => {
      const k = new SFrameKeys({ cipherSuite: suite });
      k.onEpoch(g);
      return k;
    });
    const meta = enc.encode('rtp');
    // ring (alice) -> SFrameKeys (bob): same KID layout, keys, nonce and AAD
    for (let i = 0; i < 3; i++) {
      const sent = await r[0].encrypt(1, meta, enc.encode(`video ${i}`));
      assert.equal(sent.kid, r[0].kidFor(1));
      const got = java[1].decrypt(sent.frame, meta);
      sameBytes(got.plaintext, enc.encode(`video ${i}`));
      assert.equal(got.senderLeaf, groups[0].myLeafIndex);
      assert.equal(got.contextId, 1n);
      assert.equal(got.counter, BigInt(i));
      assert.equal(got.kid, sent.kid);
    }
    // SFrameKeys (carol) -> ring (alice)
    const stream = java[2].openStream();
    const wire = stream.encrypt(enc.encode('audio'), meta);
    const got = await r[0].decrypt(meta, wire);
    sameBytes(got.plaintext, enc.encode('audio'));
    assert.equal(got.senderLeaf, groups[2].myLeafIndex);
    assert.equal(got.epoch, BigInt(groups[0].epoch));
    // and the ring refuses what SFrameKeys refuses: this member's own KID, a replay
    await assert.rejects(r[2].decrypt(meta, wire), (e) => e instanceof FrameError && e.code === 'UNKNOWN_KEY');
    await assert.rejects(r[0].decrypt(meta, wire), (e) => e.code === 'REPLAY');
    // SFrameKeys refuses a ring frame it has seen, and one whose metadata differs
    const again = await r[0].encrypt(1, meta, enc.encode('once'));
    java[1].decrypt(again.frame, meta);
    assert.throws(() => java[1].decrypt(again.frame, meta), (e) => e instanceof SFrameError && e.code === 'REPLAY');
    const other = await r[0].encrypt(1, meta, enc.encode('other metadata'));
    assert.throws(() => java[2].decrypt(other.frame, enc.encode('rtq')), (e) => e.code === 'AUTHENTICATION_FAILED');
    java.forEach((k) => k.free());
  }
});

test('streams never share a (KID, CTR): counters start at 0 per context and advance with frames in flight', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups);
  // three streams, 40 frames each, all encrypted concurrently
  const jobs = [];
  for (let i = 0; i < 40; i++) for (const ctx of [0, 1, 2]) jobs.push(r[0].encrypt(ctx, NONE, enc.encode('same payload')));
  const sent = await Promise.all(jobs);
  const pairs = new Set(sent.map((s) => `${s.kid}/${s.ctr}`));
  assert.equal(pairs.size, 120);
  assert.equal(new Set(sent.map((s) => s.kid)).size, 3);
  for (const ctx of [0, 1, 2]) {
    const ctrs = sent.filter((s) => s.kid === r[0].kidFor(ctx)).map((s) => Number(s.ctr)).sort((a, b) => a - b);
    assert.deepEqual(ctrs, Array.from({ length: 40 }, (_, i) => i));
  }
  // the same payload never gives the same ciphertext
  assert.equal(new Set(sent.map((s) => Buffer.from(s.frame).toString('hex'))).size, 120);
  // every frame decrypts once at bob
  for (const s of sent) assert.equal((await r[1].decrypt(NONE, s.frame)).senderLeaf, groups[0].myLeafIndex);
});

test('replayed, tampered, foreign and malformed frames are dropped and counted, never thrown; state unchanged', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups);
  const stats = new CallStats();
  const tx = stats.open('send-video', 'encrypt', 0n);
  const rx = stats.open('recv-alice', 'decrypt');
  const frames = [];
  for (let i = 0; i < 4; i++) {
    const f = frameOf(enc.encode(`frame ${i}`));
    assert.equal(await encryptFrame(r[0], tx, stats, f), true);
    frames.push(new Uint8Array(f.data));
  }
  assert.equal(tx.frames, 4);

  const deliver = async (bytes) => {
    const f = frameOf(bytes);
    const ok = await decryptFrame(r[1], rx, stats, f);
    return ok ? new TextDecoder().decode(f.data) : null;
  };
  assert.equal(await deliver(frames[0]), 'frame 0');
  assert.equal(await deliver(frames[0]), null); // replay
  const tampered = frames[1].slice();
  tampered[tampered.length - 3] ^= 0x40;
  assert.equal(await deliver(tampered), null); // tampered
  assert.equal(await deliver(frames[1]), 'frame 1'); // the forgery did not use up counter 1
  assert.equal(await deliver(enc.encode('not an sframe')), null); // 'n': KID 6, an epoch nobody holds
  assert.equal(await deliver(new Uint8Array(0)), null);
  // another group's alice: the same KID (and a counter bob has not seen), another key
  const other = (await rings(threeMembers().groups)).rings[0];
  for (let i = 0; i < 5; i++) await other.encrypt(0, NONE, enc.encode('other group'));
  const foreign = (await other.encrypt(0, NONE, enc.encode('other group'))).frame;
  assert.equal(await deliver(foreign), null);
  assert.equal(await deliver(frames[3]), 'frame 3');
  assert.equal(await deliver(frames[2]), 'frame 2'); // out of order within the window
  assert.equal(await deliver(frames[2]), null);

  const s = stats.snapshot()['recv-alice'];
  assert.equal(s.frames, 4);
  assert.equal(s.dropped, 6);
  assert.deepEqual(s.errors, { REPLAY: 2, AUTHENTICATION_FAILED: 2, MALFORMED: 1, UNKNOWN_KEY: 1 });
  assert.equal(s.senderLeaf, groups[0].myLeafIndex);
  assert.deepEqual(s.epochs, { [String(groups[0].epoch)]: 4 });

  // a sender without keys drops (never sends plaintext) and counts it
  const empty = new KeyRing();
  const f = frameOf(enc.encode('plaintext'));
  assert.equal(await encryptFrame(empty, tx, stats, f), false);
  assert.equal(new TextDecoder().decode(f.data), 'plaintext');
  assert.deepEqual(stats.snapshot()['send-video'].errors, { INVALID_STATE: 1 });
});

test('VP8 frames keep their payload header in the clear (authenticated); audio and VP9 frames are encrypted whole', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups);
  const stats = new CallStats();
  const tx = stats.open('send-video', 'encrypt', 0n);
  const rx = stats.open('recv-video', 'decrypt');
  const vp8 = (bytes) => ({ data: bytes.slice().buffer, getMetadata: () => ({ mimeType: 'video/VP8' }) });
  // a key frame (bit 0 of the first byte clear): 10 bytes in the clear; a delta frame: 3
  const key = Uint8Array.from({ length: 40 }, (_, i) => (i === 0 ? 0x50 : i));
  const delta = Uint8Array.from({ length: 40 }, (_, i) => (i === 0 ? 0x31 : 100 + i));
  for (const [plain, clear] of [[key, 10], [delta, 3]]) {
    const f = vp8(plain);
    assert.equal(await encryptFrame(r[0], tx, stats, f), true);
    const wire = new Uint8Array(f.data);
    sameBytes(wire.subarray(0, clear), plain.subarray(0, clear));
    assert.notDeepEqual(Array.from(wire.subarray(clear, clear + 8)), Array.from(plain.subarray(clear, clear + 8)));
    assert.equal(wire.length, plain.length + 1 + 16); // a one-byte SFrame header (KID and counter < 8) and the tag
    const back = vp8(wire);
    assert.equal(await decryptFrame(r[1], rx, stats, back), true);
    sameBytes(new Uint8Array(back.data), plain);
  }
  // the clear bytes are authenticated: changing one drops the frame
  const f = vp8(delta);
  await encryptFrame(r[0], tx, stats, f);
  const bad = new Uint8Array(f.data).slice();
  bad[1] ^= 1;
  assert.equal(await decryptFrame(r[1], rx, stats, vp8(bad)), false);
  // flipping the key-frame bit moves the boundary: the SFrame header is then read from
  // ciphertext bytes, and the frame is refused all the same
  const flip = new Uint8Array(f.data).slice();
  flip[0] ^= 1;
  assert.equal(await decryptFrame(r[1], rx, stats, vp8(flip)), false);
  const seen = stats.snapshot()['recv-video'];
  assert.equal(seen.dropped, 2);
  assert.ok(seen.errors.AUTHENTICATION_FAILED >= 1, JSON.stringify(seen.errors));
  assert.equal(await decryptFrame(r[1], rx, stats, vp8(new Uint8Array(f.data))), true);
  // Opus and VP9 frames: nothing in the clear
  for (const mimeType of ['audio/opus', 'video/VP9']) {
    const g = { data: key.slice().buffer, getMetadata: () => ({ mimeType }) };
    await encryptFrame(r[0], tx, stats, g);
    const wire = new Uint8Array(g.data);
    assert.equal(wire.length, key.length + 1 + 16, mimeType);
    assert.notEqual(wire[0], key[0]);
  }
});

test('an epoch change with frames in flight: the old epoch decrypts for the grace period, new frames change the KID epoch bits', async () => {
  const { groups } = threeMembers();
  const { rings: r, clock } = await rings(groups, { gracePeriodMs: 1000 });
  const e1 = BigInt(groups[0].epoch);
  const kid1 = r[0].kidFor(0);
  const inFlight = [];
  for (let i = 0; i < 5; i++) inFlight.push((await r[0].encrypt(0, NONE, enc.encode(`old ${i}`))).frame);
  // bob starts decrypting two of them, then the commit lands on everyone before they finish
  const racing = [r[1].decrypt(NONE, inFlight[0]), r[1].decrypt(NONE, inFlight[1])];
  commitTo(groups, groups[1].update(), 1);
  await Promise.all(groups.map((g, i) => install(r[i], g)));
  assert.equal(BigInt(groups[0].epoch), e1 + 1n);
  for (const p of racing) assert.equal((await p).epoch, e1);
  assert.equal((await r[1].decrypt(NONE, inFlight[2])).epoch, e1); // still in the grace period
  assert.deepEqual(r[1].heldEpochs(), [e1, e1 + 1n]);

  const kid2 = r[0].kidFor(0);
  assert.notEqual(kid2, kid1);
  assert.equal(kid2 & 15n, (e1 + 1n) & 15n, 'the KID carries the new epoch in its low E bits');
  const fresh = await r[0].encrypt(0, NONE, enc.encode('new'));
  assert.equal(fresh.ctr, 0n, 'a new epoch starts each stream counter at 0 under a new key');
  assert.equal((await r[2].decrypt(NONE, fresh.frame)).epoch, e1 + 1n);

  clock.t += 1000; // the grace period is over: the old epoch's keys are erased
  await assert.rejects(r[1].decrypt(NONE, inFlight[3]), (e) => e.code === 'EXPIRED_EPOCH');
  assert.deepEqual(r[1].heldEpochs(), [e1 + 1n]);
  await assert.rejects(r[2].decrypt(NONE, inFlight[4]), (e) => e.code === 'EXPIRED_EPOCH');
  // an epoch not newer than the current one is refused and changes nothing
  await assert.rejects(r[1].installEpoch(e1, new Uint8Array(16), 1, [0, 1, 2]), (e) => e.code === 'INVALID_STATE');
  assert.equal(r[1].epoch, e1 + 1n);
});

test('a removed member: no keys for the next epoch, its frames refused after the removal, it reads nothing new', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups, { gracePeriodMs: 0 });
  // bob (the middle leaf) is removed, so his leaf stays a blank slot of the KID layout
  const bobLeaf = groups[1].myLeafIndex;
  const before = (await r[1].encrypt(0, NONE, enc.encode('bob, before'))).frame;
  assert.equal((await r[0].decrypt(NONE, before)).senderLeaf, bobLeaf);

  commitTo(groups, groups[0].remove(bobLeaf));
  assert.equal(groups[1].status, 'removed');
  await install(r[0], groups[0]);
  await install(r[2], groups[2]);
  // the page cannot get media keys out of a removed member's group
  assert.throws(() => epochKeys(groups[1]), (e) => e instanceof CallError && e.code === 'INVALID_STATE');
  const k = epochKeys(groups[0]);
  assert.equal(k.epoch, BigInt(groups[0].epoch));
  assert.deepEqual(k.memberLeaves, groups[0].members().map((m) => m.leafIndex));
  assert.equal(k.baseKey.length, 16);
  assert.equal(epochKeys(groups[0], 5).baseKey.length, 32);

  // bob still holds the old epoch: his frames after the removal are refused
  const after = (await r[1].encrypt(0, NONE, enc.encode('bob, after'))).frame;
  await assert.rejects(r[0].decrypt(NONE, after), (e) => e.code === 'EXPIRED_EPOCH');
  await assert.rejects(r[2].decrypt(NONE, after), (e) => e.code === 'EXPIRED_EPOCH');
  // and he cannot read the others' frames of the new epoch
  const alice = (await r[0].encrypt(0, NONE, enc.encode('alice, after'))).frame;
  await assert.rejects(r[1].decrypt(NONE, alice), (e) => e.code === 'UNKNOWN_KEY');
  assert.equal(new TextDecoder().decode((await r[2].decrypt(NONE, alice)).plaintext), 'alice, after');
  // a frame of the new epoch under his leaf names no member, whoever made it
  const claimant = new KeyRing();
  await claimant.installEpoch(groups[0].epoch, groups[0].exportSecret(EXPORTER_LABEL, NONE, 16), bobLeaf, [0, 2]);
  const claim = (await claimant.encrypt(0, NONE, enc.encode('as bob'))).frame;
  await assert.rejects(r[2].decrypt(NONE, claim), (e) => e.code === 'UNKNOWN_KEY');
});

test('the page API outside a browser: no transform support, typed errors', () => {
  assert.equal(transformSupport(), null);
  assert.throws(() => new Call({ cipherSuite: 1 }), (e) => e instanceof CallError && e.code === 'UNSUPPORTED');
  // checked before a worker is started (Node has none: reaching it would be a ReferenceError)
  assert.throws(() => new Call({ epochBits: 17 }), (e) => e instanceof CallError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new Call({ gracePeriodMs: -1 }), (e) => e instanceof CallError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new Call({ transformApi: 'insertable' }), (e) => e instanceof CallError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new KeyRing({ epochBits: 0 }), (e) => e instanceof FrameError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new KeyRing({ cipherSuite: 2 }), (e) => e.code === 'UNSUPPORTED');
});

test('the worker module loads (its imports resolve) and answers configure, epoch, stats and leave', async (t) => {
  const replies = [];
  const scope = { postMessage: (m) => replies.push(m) };
  globalThis.self = scope; // the worker's global, for the whole test (it replies through it)
  t.after(() => delete globalThis.self);
  await import('mlskit/call/worker');
  assert.equal(typeof scope.onmessage, 'function');
  const { groups } = threeMembers();
  const k = epochKeys(groups[0]);
  const send = (m) => scope.onmessage({ data: m });
  send({ type: 'configure', seq: 1, options: { cipherSuite: 4 } });
  send({ type: 'epoch', seq: 2, epoch: String(k.epoch), baseKey: k.baseKey.buffer, myLeaf: k.myLeaf, memberLeaves: k.memberLeaves });
  send({ type: 'stats', seq: 3 });
  send({ type: 'nope', seq: 4 });
  send({ type: 'leave', seq: 5 });
  send({ type: 'stats', seq: 6 });
  for (let i = 0; i < 400 && replies.length < 6; i++) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(replies.map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
  assert.equal(replies[2].epoch, String(k.epoch));
  // audio frames through the package's AES-GCM where the worker has its wasm-gc build (the js
  // build, slower than WebCrypto on audio too, is not used for it)
  const small = build === 'wasm-gc' ? 'wasm-gc' : 'webcrypto';
  assert.equal(replies[0].smallFrames, small);
  assert.equal(replies[2].smallFrames, small);
  assert.deepEqual(replies[2].held, [String(k.epoch)]);
  assert.equal(replies[3].error.code, 'INVALID_ARGUMENT');
  assert.equal(replies[5].epoch, null, 'leave erased the keys');
});

test('the one-await path: 300 frames in flight with metadata, across counter widths, decrypt at the ring and at mlskit/sframe', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups);
  const java = new SFrameKeys({ cipherSuite: 4 });
  java.onEpoch(groups[2]);
  const meta = enc.encode('vp8-clear');
  // counters 0..299 cross the 1-byte (8) and 2-byte (256) header forms while frames share buffers
  const jobs = [];
  for (let i = 0; i < 300; i++) jobs.push(r[0].encrypt(i % 2, meta, enc.encode(`f${i}`)));
  const sent = await Promise.all(jobs);
  const opened = await Promise.all(sent.map((s) => r[1].decrypt(meta, s.frame)));
  opened.forEach((o, i) => {
    assert.equal(new TextDecoder().decode(o.plaintext), `f${i}`);
    assert.equal(o.ctr, BigInt(Math.floor(i / 2)));
    assert.equal(o.contextId, BigInt(i % 2));
  });
  for (let i = 0; i < 300; i++) sameBytes(java.decrypt(sent[i].frame, meta).plaintext, enc.encode(`f${i}`));
  // the clear-bytes forms: metadata in front of the frame and of the plaintext
  const w = await r[0].encryptWithClear(0, meta, enc.encode('clear'));
  sameBytes(w.frame.subarray(0, meta.length), meta);
  const back = await r[1].decryptWithClear(meta.length, w.frame);
  assert.equal(new TextDecoder().decode(back.plaintext), 'vp8-clearclear');
  java.free();
});

test('a counter above 2^53 - 1 is MALFORMED, and an erased epoch neither encrypts nor decrypts', async () => {
  const { groups } = threeMembers();
  const { rings: r } = await rings(groups);
  const first = await r[0].encrypt(0, NONE, enc.encode('one'));
  // the same KID with an 8-byte counter 2^60: refused before any key is used, state unchanged
  const kidBytes = first.frame.subarray(0, 1);
  const big = new Uint8Array([kidBytes[0] | 0x0f, 0x10, 0, 0, 0, 0, 0, 0, 0, ...new Array(20).fill(1)]);
  await assert.rejects(r[1].decrypt(NONE, big), (e) => e instanceof FrameError && e.code === 'MALFORMED');
  assert.equal(new TextDecoder().decode((await r[1].decrypt(NONE, first.frame)).plaintext), 'one');
  const second = await r[0].encrypt(0, NONE, enc.encode('two'));
  r[1].eraseAll();
  await assert.rejects(r[1].decrypt(NONE, second.frame), (e) => e.code === 'UNKNOWN_KEY');
  r[0].eraseAll();
  await assert.rejects(r[0].encrypt(0, NONE, enc.encode('three')), (e) => e.code === 'INVALID_STATE');
  // erasure while a stream's first frame waits for its keys: that frame is not sent
  const { rings: r2 } = await rings(groups);
  const pending = r2[0].encrypt(5, NONE, enc.encode('late'));
  r2[0].eraseAll();
  await assert.rejects(pending, (e) => e.code === 'EXPIRED_EPOCH');
});
