// mlskit/sframe through the packed package: media keys from real MLS groups, epochs, grace period,
// removal, tampering, replay, and the frame cipher with application-managed keys.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SFrameKeys, SFrameContext, SFrameError, SFrameSuite } from 'mlskit/sframe';
import { mls, threeMembers, deliver, sameBytes } from './setup.mjs';

const enc = new TextEncoder();

function keysFor(groups, options = {}) {
  return groups.map((g) => {
    const k = new SFrameKeys(options);
    k.onEpoch(g);
    return k;
  });
}

function throwsSFrame(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof SFrameError, `expected an SFrameError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

test('three members: every frame decrypts at the others, with its sender and epoch', () => {
  const { groups } = threeMembers();
  for (const suite of Object.values(SFrameSuite)) {
    const keys = keysFor(groups, { cipherSuite: suite });
    keys.forEach((k) => assert.equal(k.epoch, 1n));
    for (let from = 0; from < 3; from++) {
      const stream = keys[from].openStream();
      const frame = stream.encrypt(enc.encode(`audio from ${from}`), enc.encode('rtp header'));
      for (let to = 0; to < 3; to++) {
        if (to === from) continue;
        const got = keys[to].decrypt(frame, enc.encode('rtp header'));
        sameBytes(got.plaintext, enc.encode(`audio from ${from}`));
        assert.equal(got.senderLeaf, groups[from].myLeafIndex);
        assert.equal(got.epoch, 1n);
        assert.equal(got.counter, 0n);
        assert.equal(got.contextId, stream.contextId);
      }
      // Other metadata, a flipped bit, or the same frame again are refused.
      const next = stream.encrypt(enc.encode('next'), enc.encode('rtp header'));
      throwsSFrame(() => keys[(from + 1) % 3].decrypt(next, enc.encode('other header')), 'AUTHENTICATION_FAILED');
      const bad = next.slice();
      bad[bad.length - 1] ^= 1;
      throwsSFrame(() => keys[(from + 2) % 3].decrypt(bad, enc.encode('rtp header')), 'AUTHENTICATION_FAILED');
      throwsSFrame(() => keys[(from + 1) % 3].decrypt(frame, enc.encode('rtp header')), 'REPLAY');
    }
    keys.forEach((k) => k.free());
  }
});

test('two streams of one member use different contexts; counters advance per stream', () => {
  const { groups } = threeMembers();
  const [a, b] = keysFor(groups.slice(0, 2));
  const audio = a.openStream();
  const video = a.openStream();
  assert.notEqual(audio.contextId, video.contextId);
  const f1 = audio.encrypt(enc.encode('a1'));
  const f2 = audio.encrypt(enc.encode('a2'));
  const v1 = video.encrypt(enc.encode('v1'));
  assert.equal(b.decrypt(f1).counter, 0n);
  assert.equal(b.decrypt(f2).counter, 1n);
  assert.equal(b.decrypt(v1).counter, 0n);
});

test('a commit changes the epoch: old frames decrypt within the grace period, a removed member reads nothing new', () => {
  const { groups: [a, b, c] } = threeMembers();
  const [ka, kb, kc] = keysFor([a, b, c], { gracePeriodMs: 60_000 });
  const oldFrame = ka.openStream().encrypt(enc.encode('epoch 1'));
  const removal = a.remove([c.myLeafIndex]);
  deliver(a, removal, [b]);
  ka.onEpoch(a);
  kb.onEpoch(b);
  assert.equal(ka.epoch, 2n);
  sameBytes(kb.decrypt(oldFrame).plaintext, enc.encode('epoch 1')); // grace period
  const newFrame = ka.openStream().encrypt(enc.encode('epoch 2'));
  const got = kb.decrypt(newFrame);
  assert.equal(got.epoch, 2n);
  throwsSFrame(() => kc.decrypt(newFrame), 'UNKNOWN_KEY');
  // Without a grace period the previous epoch's keys are gone once the next one is installed.
  const [x, y] = keysFor([a, b], { gracePeriodMs: 0 });
  const before = x.openStream().encrypt(enc.encode('before'));
  const update = b.update();
  deliver(b, update, [a]);
  x.onEpoch(a);
  y.onEpoch(b);
  throwsSFrame(() => y.decrypt(before), 'EXPIRED_EPOCH');
});

test('bad input: typed errors, freed handles refused', () => {
  throwsSFrame(() => new SFrameKeys({ cipherSuite: 9 }), 'INVALID_ARGUMENT');
  const { groups: [a] } = threeMembers();
  const k = new SFrameKeys();
  const early = k.openStream();
  throwsSFrame(() => early.encrypt(enc.encode('no epoch yet')), 'INVALID_STATE');
  assert.equal(k.epoch, null);
  throwsSFrame(() => k.onEpoch({}), 'INVALID_ARGUMENT');
  k.onEpoch(a);
  throwsSFrame(() => k.decrypt(new Uint8Array(0)), 'MALFORMED');
  throwsSFrame(() => k.decrypt('not bytes'), 'INVALID_ARGUMENT');
  k.free();
  throwsSFrame(() => k.openStream(), 'INVALID_STATE');
  assert.ok(mls.MlsError);
});

test('SFrameContext: application-managed keys, 64-bit KIDs exactly', () => {
  const key = new Uint8Array(16).fill(7);
  const kid = (1n << 64n) - 1n;
  const s = new SFrameContext({ cipherSuite: SFrameSuite.AES_128_GCM_SHA256_128 });
  const r = new SFrameContext({ cipherSuite: SFrameSuite.AES_128_GCM_SHA256_128 });
  s.addSendKey(kid, key);
  r.addReceiveKey(kid, key);
  const frame = s.encrypt(kid, enc.encode('hello'), enc.encode('meta'));
  sameBytes(r.decrypt(frame, enc.encode('meta')), enc.encode('hello'));
  throwsSFrame(() => r.decrypt(frame, enc.encode('meta')), 'REPLAY');
  throwsSFrame(() => s.encrypt(1n << 64n, enc.encode('x')), 'INVALID_ARGUMENT');
  throwsSFrame(() => s.encrypt(5n, enc.encode('x')), 'UNKNOWN_KEY');
});
