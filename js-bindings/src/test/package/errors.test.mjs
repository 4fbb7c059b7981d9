// Bad input through the packed package: every rejection is an MlsError with the core's code,
// and leaves the group as it was.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mls, client, threeMembers, deliver, throwsCode, sameBytes } from './setup.mjs';

test('wrong argument types are INVALID_ARGUMENT before reaching the core', () => {
  const alice = client('alice');
  const g = mls.Group.create(alice);
  throwsCode(() => mls.Client.create(), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Client.create({ identity: 42 }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Client.create({ identity: 'x', cipherSuite: 1.5 }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Client.load('not bytes'), 'INVALID_ARGUMENT');
  throwsCode(() => alice.createKeyPackage({ lastResort: 'yes' }), 'INVALID_ARGUMENT');
  throwsCode(() => alice.createKeyPackage({ notBefore: 5 }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.create({}), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.create(alice, { handshake: 'loud' }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.create(alice, { retainedEpochs: -1 }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.create(alice, { extensions: [{ type: 'x' }] }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.create(alice, { externalPsks: [{ id: 'a' }] }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.join(alice, new Uint8Array(4), g), 'INVALID_ARGUMENT');
  throwsCode(() => g.process([1, 2, 3]), 'INVALID_ARGUMENT');
  throwsCode(() => g.encrypt(12), 'INVALID_ARGUMENT');
  throwsCode(() => g.encrypt('x', { aad: 'text' }), 'INVALID_ARGUMENT');
  throwsCode(() => g.add('kp'), 'INVALID_ARGUMENT');
  throwsCode(() => g.remove(-1), 'INVALID_ARGUMENT');
  throwsCode(() => g.member(1.5), 'INVALID_ARGUMENT');
  throwsCode(() => g.exportSecret(1, '', 16), 'INVALID_ARGUMENT');
  throwsCode(() => g.exportSecret('l', '', 70000), 'INVALID_ARGUMENT');
  throwsCode(() => g.merge({}), 'INVALID_ARGUMENT');
  throwsCode(() => g.proposeReInit(), 'INVALID_ARGUMENT');
  throwsCode(() => g.groupInfo({ ratchetTree: 1 }), 'INVALID_ARGUMENT');
  assert.equal(g.epoch, 0);
});

test('an empty group id and an unknown cipher suite are refused by the core', () => {
  const alice = client('alice');
  throwsCode(() => mls.Group.create(alice, { groupId: new Uint8Array(0) }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Client.create({ identity: 'x', cipherSuite: 99 }), 'UNSUPPORTED');
  throwsCode(() => mls.Group.create(alice).proposeReInit({ groupId: 'n', cipherSuite: 0 }), 'UNSUPPORTED');
});

test('garbage bytes are MALFORMED everywhere bytes are decoded', () => {
  const { groups: [a, b], clients: [alice] } = threeMembers();
  const junk = new Uint8Array([0, 1, 0, 1, 0xff, 0xff, 0xff]);
  throwsCode(() => a.process(junk), 'MALFORMED');
  throwsCode(() => a.process(new Uint8Array(0)), 'MALFORMED');
  throwsCode(() => mls.Client.load(junk), 'MALFORMED');
  throwsCode(() => mls.KeyPackage.load(junk), 'MALFORMED');
  throwsCode(() => mls.KeyPackage.inspect(junk), 'MALFORMED');
  throwsCode(() => mls.Group.load(new Uint8Array([0, 1, 0, 1, 0])), 'MALFORMED');
  throwsCode(() => mls.Group.load(new Uint8Array([0, 9])), 'UNSUPPORTED');
  throwsCode(() => a.add([junk]), 'MALFORMED');
  throwsCode(() => mls.Group.join(alice, junk, alice.createKeyPackage()), 'MALFORMED');
  throwsCode(() => mls.Group.joinExternal(alice, junk), 'MALFORMED');
  // One bit flipped in the AEAD tag; then the intact message still decrypts.
  const good = a.encrypt('x');
  const bad = good.slice();
  bad[bad.length - 1] ^= 1;
  throwsCode(() => b.process(bad), 'DECRYPTION_FAILED');
  assert.equal(b.process(good).kind, 'application');
});

test('messages in the wrong place: Welcome or KeyPackage to process, a GroupInfo as Welcome', () => {
  const { groups: [a], add, clients: [alice] } = threeMembers();
  throwsCode(() => a.process(add.welcome), 'INVALID_ARGUMENT');
  const kp = alice.createKeyPackage();
  throwsCode(() => a.process(kp.message), 'INVALID_ARGUMENT');
  throwsCode(() => a.add([a.groupInfo()]), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Group.join(alice, a.groupInfo(), kp), 'INVALID_ARGUMENT');
});

test('a Welcome for someone else is NOT_FOR_US', () => {
  const { add } = threeMembers();
  const dave = client('dave');
  throwsCode(() => mls.Group.join(dave, add.welcome, dave.createKeyPackage()), 'NOT_FOR_US');
});

test('replays are DUPLICATE_MESSAGE; messages of another group are WRONG_GROUP', () => {
  const { groups: [a, b] } = threeMembers();
  const m = a.encrypt('once');
  b.process(m);
  throwsCode(() => b.process(m), 'DUPLICATE_MESSAGE');
  const other = threeMembers();
  throwsCode(() => other.groups[1].process(m), 'WRONG_GROUP');
});

test('an old commit is WRONG_EPOCH; a commit of a removed epoch state leaves the group unchanged', () => {
  const { groups: [a, b, c] } = threeMembers();
  const first = a.update();
  deliver(a, first, [b, c]);
  const auth = b.epochAuthenticator();
  throwsCode(() => b.process(first.message), 'WRONG_EPOCH');
  sameBytes(b.epochAuthenticator(), auth);
  // Application messages of a retained past epoch still decrypt.
  const { groups: [x, y, z] } = threeMembers();
  const late = x.encrypt('late');
  deliver(z, z.update(), [x, y]);
  assert.equal(y.process(late).kind, 'application');
});

test('a commit referring to a proposal never received is UNKNOWN_PROPOSAL', () => {
  const { groups: [a, b, c] } = threeMembers();
  const p = b.proposeRemove(2);
  a.process(p);
  const commit = a.commit();
  a.merge(commit);
  // Carol never received Bob's proposal.
  throwsCode(() => c.process(commit.message), 'UNKNOWN_PROPOSAL');
});

test('KeyPackages of another suite, or expired ones, cannot be added', () => {
  const { groups: [a] } = threeMembers();
  throwsCode(() => a.add([client('p', 2).createKeyPackage().message]), 'INVALID_ARGUMENT');
  const expired = client('late').createKeyPackage({ notBefore: 1000, notAfter: 2000 });
  throwsCode(() => a.add([expired.message]), 'EXPIRED');
  assert.equal(a.epoch, 1);
});

test('removing a blank or missing leaf is INVALID_PROPOSAL; invalid states are INVALID_STATE', () => {
  const { groups: [a, b] } = threeMembers();
  throwsCode(() => a.remove(9), 'INVALID_PROPOSAL');
  throwsCode(() => a.remove(0), 'INVALID_PROPOSAL');
  const staged = a.update();
  throwsCode(() => b.merge(staged), 'INVALID_STATE');
  a.merge(staged);
  throwsCode(() => a.merge(staged), 'INVALID_STATE');
  throwsCode(() => a.reInitialize(client('z'), []), 'INVALID_STATE');
});
