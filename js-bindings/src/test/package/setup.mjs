// Shared by the package tests: loads the installed 'mlskit' in the build named by MLSKIT_BUILD
// and builds small groups.
import assert from 'node:assert/strict';
import * as mls from 'mlskit';

export const build = process.env.MLSKIT_BUILD ?? 'js';
await mls.init({ build });
export { mls };

export const text = new TextDecoder();

/** Asserts that fn throws an MlsError with this code. */
export function throwsCode(fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof mls.MlsError, `expected an MlsError, got ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

export function client(name, cipherSuite = 1) {
  return mls.Client.create({ identity: name, cipherSuite });
}

/** Alice's group with Bob and Carol joined by Welcome: {clients, groups: [a, b, c]}. */
export function threeMembers(options = {}) {
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => client(n));
  const kps = [bob, carol].map((c) => c.createKeyPackage());
  const a = mls.Group.create(alice, options);
  const add = a.add(kps.map((k) => k.message));
  a.merge(add);
  const b = mls.Group.join(bob, add.welcome, kps[0], options);
  const c = mls.Group.join(carol, add.welcome, kps[1], options);
  return { clients: [alice, bob, carol], groups: [a, b, c], add };
}

/** Delivers an own staged commit to the other groups and merges it everywhere. */
export function deliver(sender, staged, others) {
  sender.merge(staged);
  const results = others.map((g) => {
    const r = g.process(staged.message);
    assert.equal(r.kind, 'commit');
    g.merge(r.commit);
    return r;
  });
  return results;
}

export function sameBytes(a, b) {
  assert.ok(a instanceof Uint8Array && b instanceof Uint8Array);
  assert.deepEqual(Array.from(a), Array.from(b));
}
