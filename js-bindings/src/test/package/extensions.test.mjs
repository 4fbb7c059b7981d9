// draft-ietf-mls-extensions through the package: app data (group metadata), AppDataUpdate,
// SelfRemove; credential validators, X.509 clients; and the API an interop peer or a delivery
// service client needs: inspectMessage, KeyPackage refs, per-commit options, tree hash, GroupContext.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mls, client, threeMembers, deliver, throwsCode, text, sameBytes } from './setup.mjs';

const NAME = 0x8001;
const TOPIC = 0x8002;

function appData(g) {
  return g.appData().map((e) => [e.componentId, text.decode(e.data)]);
}

test('app data: set at creation, updated by proposal and by value, seen by joiners; no path needed', () => {
  const alice = client('alice');
  const bob = client('bob');
  const kp = bob.createKeyPackage();
  const a = mls.Group.create(alice, { appData: [{ componentId: NAME, data: 'climbers' }] });
  assert.deepEqual(appData(a), [[NAME, 'climbers']]);
  assert.deepEqual(a.extensions().map((e) => e.type), [6]);
  const add = a.add(kp.message);
  a.merge(add);
  const b = mls.Group.join(bob, add.welcome, kp);
  assert.deepEqual(appData(b), [[NAME, 'climbers']]);
  const p = b.proposeAppDataUpdate(TOPIC, 'alps');
  const r = a.process(p);
  assert.equal(r.proposal.type, 'appDataUpdate');
  assert.equal(r.proposal.componentId, TOPIC);
  assert.equal(text.decode(r.proposal.data), 'alps');
  const c1 = a.commit({ appData: [{ componentId: NAME, data: 'hikers' }] });
  assert.equal(c1.hasUpdatePath, false);
  assert.equal(c1.changesExtensions, true);
  deliver(a, c1, [b]);
  for (const g of [a, b]) assert.deepEqual(appData(g), [[NAME, 'hikers'], [TOPIC, 'alps']]);
  const rm = b.proposeAppDataRemove(TOPIC);
  assert.equal(a.process(rm).proposal.data, null);
  deliver(a, a.commit(), [b]);
  assert.deepEqual(appData(b), [[NAME, 'hikers']]);
  throwsCode(() => b.proposeAppDataRemove(TOPIC), 'INVALID_PROPOSAL');
  throwsCode(() => b.proposeAppDataUpdate(0x10000, 'x'), 'INVALID_ARGUMENT');
  throwsCode(() => a.commit({ appData: [{ componentId: TOPIC }, { componentId: TOPIC, data: 'x' }] }), 'INVALID_PROPOSAL');
  throwsCode(() => mls.Group.create(alice, { appData: [{ componentId: 1, data: 'a' }, { componentId: 1, data: 'b' }] }),
    'INVALID_ARGUMENT');
});

test('SelfRemove: a member leaves through another member\'s commit, always as a PublicMessage', () => {
  const { groups: [a, b, c] } = threeMembers();
  const leave = c.proposeSelfRemove();
  assert.equal(mls.inspectMessage(leave).wireFormat, 'public');
  throwsCode(() => c.proposeSelfRemove(), 'INVALID_PROPOSAL');
  for (const g of [a, b]) assert.equal(g.process(leave).proposal.type, 'selfRemove');
  const commit = a.commit();
  assert.deepEqual(commit.removed.map((m) => m.leafIndex), [2]);
  assert.equal(commit.hasUpdatePath, true);
  a.merge(commit);
  b.merge(b.process(commit.message).commit);
  const rc = c.process(commit.message);
  assert.equal(rc.commit.removesMe, true);
  c.merge(rc.commit);
  assert.equal(c.status, 'removed');
  assert.equal(text.decode(b.process(a.encrypt('two left')).data), 'two left');
});

test('SelfRemove committed by an external joiner, by reference', () => {
  const { groups: [a, b, c] } = threeMembers();
  const leave = b.proposeSelfRemove();
  a.process(leave);
  c.process(leave);
  const dave = client('dave');
  const { group: d, commit } = mls.Group.joinExternal(dave, a.groupInfo(), { selfRemoves: [leave] });
  for (const g of [a, b, c]) {
    const r = g.process(commit);
    assert.equal(r.commit.external, true);
    assert.deepEqual(r.commit.removed.map((m) => m.leafIndex), [1]);
    g.merge(r.commit);
  }
  assert.equal(b.status, 'removed');
  sameBytes(d.epochAuthenticator(), a.epochAuthenticator());
  assert.equal(d.memberCount, 3);
});

test('capabilities advertise the extensions, in clients and in inspected KeyPackages', () => {
  const bob = client('bob');
  const kp = bob.createKeyPackage();
  const info = mls.KeyPackage.inspect(kp.message);
  for (const caps of [bob.capabilities, info.capabilities]) {
    assert.deepEqual(caps.proposals, [8, 10]);
    assert.deepEqual(caps.extensions, [6]);
    assert.deepEqual(caps.credentials, [1, 2]);
    assert.deepEqual(caps.cipherSuites, [1]);
  }
  sameBytes(info.ref, kp.ref);
});

test('credential validator: called on adds and joins; refusals are INVALID_CREDENTIAL', () => {
  const seen = [];
  const validator = (cred, key) => {
    seen.push(text.decode(cred.identity));
    assert.ok(key instanceof Uint8Array && key.length === 32);
    if (text.decode(cred.identity) === 'mallory') return 'mallory is banned';
    return true;
  };
  const alice = client('alice');
  const a = mls.Group.create(alice, { credentialValidator: validator });
  const bob = client('bob');
  const kp = bob.createKeyPackage();
  const add = a.add(kp.message);
  assert.ok(seen.includes('bob'));
  a.merge(add);
  throwsCode(() => a.add(client('mallory').createKeyPackage().message), 'INVALID_CREDENTIAL');
  assert.equal(a.epoch, 1);
  // A joiner whose validator refuses a member refuses the group.
  throwsCode(() => mls.Group.join(bob, add.welcome, kp, { credentialValidator: (c) => text.decode(c.identity) !== 'alice' }),
    'INVALID_CREDENTIAL');
  const thrower = () => { throw new Error('no one gets in'); };
  assert.throws(() => mls.Group.join(bob, add.welcome, kp, { credentialValidator: thrower }),
    (e) => e.code === 'INVALID_CREDENTIAL' && /no one gets in/.test(e.message));
  const b = mls.Group.join(bob, add.welcome, kp, { credentialValidator: validator });
  assert.equal(b.memberCount, 2);
  throwsCode(() => mls.Group.create(alice, { credentialValidator: 'yes' }), 'INVALID_ARGUMENT');
});

test('X.509 clients: created with their chain and key, read back from members, accepted by a validator', () => {
  // The core treats certificates as opaque DER; verifying the chain is the validator's job.
  const leafCert = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
  const caCert = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x02]);
  const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const x = mls.Client.create({ certificates: [leafCert, caCert], signaturePrivateKey: key });
  assert.equal(x.credential.type, 'x509');
  assert.equal(x.credential.certificates.length, 2);
  const again = mls.Client.create({ certificates: [leafCert], signaturePrivateKey: key });
  sameBytes(again.signaturePublicKey, x.signaturePublicKey);
  throwsCode(() => mls.Client.create({ certificates: [leafCert] }), 'INVALID_ARGUMENT');
  throwsCode(() => mls.Client.create({ certificates: [] , signaturePrivateKey: key }), 'INVALID_ARGUMENT');
  const accept = (c) => c.type === 'basic' || (c.type === 'x509' && c.certificates[0][4] === 1);
  const alice = client('alice');
  const a = mls.Group.create(alice, { credentialValidator: accept });
  const kp = x.createKeyPackage();
  // Without a validator, X.509 is refused (the default accepts basic credentials only).
  const plain = mls.Group.create(client('eve'));
  throwsCode(() => plain.add(kp.message), 'UNSUPPORTED');
  const add = a.add(kp.message);
  a.merge(add);
  const g = mls.Group.join(x, add.welcome, kp, { credentialValidator: accept });
  const m = a.member(1);
  assert.equal(m.credential.type, 'x509');
  sameBytes(m.credential.certificates[0], leafCert);
  sameBytes(m.credential.certificates[1], caCert);
  assert.equal(text.decode(a.process(g.encrypt('signed by x509')).data), 'signed by x509');
});

test('join refuses a KeyPackage of another client instead of failing every later message', () => {
  const alice = client('alice');
  const bob = client('bob');
  const kp = bob.createKeyPackage();
  const a = mls.Group.create(alice);
  const add = a.add(kp.message);
  a.merge(add);
  const impostor = client('bob');
  assert.throws(() => mls.Group.join(impostor, add.welcome, kp), (e) => e.code === 'INVALID_ARGUMENT' && /signature key/.test(e.message));
  const restored = mls.KeyPackage.load(kp.save());
  throwsCode(() => mls.Group.join(impostor, add.welcome, restored), 'INVALID_ARGUMENT');
  const b = mls.Group.join(bob, add.welcome, restored);
  assert.equal(text.decode(a.process(b.encrypt('it is me')).data), 'it is me');
});

test('inspectMessage and Group.keyPackageFor: headers before processing, Welcome entries by ref', () => {
  const { groups: [a, b], add } = threeMembers();
  const app = mls.inspectMessage(a.encrypt('x'));
  assert.equal(app.wireFormat, 'private');
  assert.equal(app.contentType, 'application');
  sameBytes(app.groupId, a.groupId);
  assert.equal(app.epoch, a.epoch);
  assert.equal(app.sender, null);
  const w = mls.inspectMessage(add.welcome);
  assert.equal(w.wireFormat, 'welcome');
  assert.equal(w.contentType, null);
  assert.equal(w.keyPackageRefs.length, 2);
  const dave = client('dave');
  const kps = [dave.createKeyPackage(), dave.createKeyPackage()];
  const add2 = a.add(kps[1].message, { handshake: 'public' });
  const header = mls.inspectMessage(add2.message);
  assert.equal(header.wireFormat, 'public');
  assert.equal(header.contentType, 'commit');
  assert.deepEqual(header.sender, { type: 'member', index: 0 });
  assert.equal(mls.Group.keyPackageFor(add2.welcome, kps), kps[1]);
  assert.equal(mls.Group.keyPackageFor(add2.welcome, [kps[0]]), null);
  const gi = mls.inspectMessage(b.groupInfo());
  assert.equal(gi.wireFormat, 'groupInfo');
  assert.equal(gi.cipherSuite, 1);
  assert.equal(mls.inspectMessage(kps[0].message).wireFormat, 'keyPackage');
  throwsCode(() => mls.inspectMessage(new Uint8Array([0, 1, 0])), 'MALFORMED');
  a.discard(add2);
});

test('per-commit options: framing, tree in Welcome, forced path; tree hash and GroupContext', () => {
  const { groups: [a, b, c] } = threeMembers();
  const dave = client('dave');
  const kp = dave.createKeyPackage();
  const add = a.add(kp.message, { handshake: 'public', ratchetTreeInWelcome: false, forcePath: true, aad: new Uint8Array([5]) });
  assert.equal(mls.inspectMessage(add.message).wireFormat, 'public');
  assert.equal(add.hasUpdatePath, true);
  const [rb] = deliver(a, add, [b, c]);
  assert.equal(rb.commit.hasUpdatePath, true);
  assert.deepEqual(Array.from(rb.authenticatedData), [5]);
  throwsCode(() => mls.Group.join(dave, add.welcome, kp), 'INVALID_ARGUMENT');
  const d = mls.Group.join(dave, add.welcome, kp, { ratchetTree: a.ratchetTree() });
  sameBytes(d.treeHash, a.treeHash);
  const ctx = a.groupContext();
  assert.equal(ctx.version, 1);
  assert.equal(ctx.epoch, a.epoch);
  sameBytes(ctx.treeHash, a.treeHash);
  sameBytes(ctx.groupId, a.groupId);
  sameBytes(ctx.encoded, d.groupContext().encoded);
  const rm = b.remove(3, { handshake: 'private' });
  assert.equal(mls.inspectMessage(rm.message).wireFormat, 'private');
  b.discard(rm);
  const up = c.update({ handshake: 'public' });
  assert.equal(up.hasUpdatePath, true);
  assert.equal(mls.inspectMessage(up.message).wireFormat, 'public');
  c.discard(up);
  throwsCode(() => a.commit({ handshake: 'plain' }), 'INVALID_ARGUMENT');
});
