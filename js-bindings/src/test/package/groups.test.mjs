// Groups through the packed package: create, join, messages, commits, members, secrets, state.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mls, client, threeMembers, deliver, throwsCode, text, sameBytes } from './setup.mjs';

function names(members) {
  return members.map((m) => text.decode(m.identity));
}

test('create: a one-member group with the given id at epoch 0', () => {
  const alice = client('alice');
  const g = mls.Group.create(alice, { groupId: 'g1' });
  assert.equal(text.decode(g.groupId), 'g1');
  assert.equal(g.epoch, 0);
  assert.equal(g.cipherSuite, 1);
  assert.equal(g.myLeafIndex, 0);
  assert.equal(g.memberCount, 1);
  assert.equal(g.status, 'active');
  assert.deepEqual(names(g.members()), ['alice']);
  assert.equal(mls.Group.create(alice).groupId.length, 16);
});

test('add + Welcome: three members agree on epoch, members and secrets', () => {
  const { groups: [a, b, c], add } = threeMembers();
  assert.equal(add.own, true);
  assert.equal(add.newEpoch, 1);
  assert.deepEqual(names(add.added), ['bob', 'carol']);
  assert.deepEqual(add.added.map((m) => m.leafIndex), [1, 2]);
  assert.ok(add.welcome instanceof Uint8Array && add.message instanceof Uint8Array);
  for (const g of [a, b, c]) {
    assert.equal(g.epoch, 1);
    assert.deepEqual(names(g.members()), ['alice', 'bob', 'carol']);
    sameBytes(g.epochAuthenticator(), a.epochAuthenticator());
    sameBytes(g.exportSecret('media', 'ctx', 32), a.exportSecret('media', new TextEncoder().encode('ctx'), 32));
    sameBytes(g.ratchetTree(), a.ratchetTree());
  }
  assert.equal(b.myLeafIndex, 1);
  assert.equal(c.myLeafIndex, 2);
  const bob = a.member(1);
  assert.equal(bob.leafIndex, 1);
  assert.equal(bob.credential.type, 'basic');
  assert.equal(bob.signatureKey.length, 32);
  assert.equal(bob.encryptionKey.length, 32);
  assert.equal(a.member(7), null);
  assert.equal(a.exportSecret('x', new Uint8Array(0), 0).length, 0);
  assert.notDeepEqual(Array.from(a.exportSecret('a', '', 16)), Array.from(a.exportSecret('b', '', 16)));
});

test('application messages both ways, with sender, authenticated data and binary data', () => {
  const { groups: [a, b, c] } = threeMembers();
  const m1 = b.process(a.encrypt('from alice', { aad: new Uint8Array([9, 9]) }));
  assert.equal(m1.kind, 'application');
  assert.equal(text.decode(m1.data), 'from alice');
  assert.equal(m1.senderLeaf, 0);
  assert.deepEqual(m1.sender, { type: 'member', index: 0 });
  assert.equal(text.decode(m1.senderCredential.identity), 'alice');
  assert.deepEqual(Array.from(m1.authenticatedData), [9, 9]);
  assert.equal(m1.epoch, 1);
  const binary = new Uint8Array(5000).map((_, i) => i & 0xff);
  const m2 = a.process(c.encrypt(binary));
  assert.equal(m2.senderLeaf, 2);
  sameBytes(m2.data, binary);
  const m3 = c.process(b.encrypt(''));
  assert.equal(m3.data.length, 0);
});

test('update: a path commit changes the committer leaf keys; everyone follows', () => {
  const { groups: [a, b, c] } = threeMembers();
  const before = a.member(2).encryptionKey;
  const up = c.update();
  assert.equal(up.welcome, null);
  assert.equal(up.committerLeaf, 2);
  const [ra] = deliver(c, up, [a, b]);
  assert.equal(ra.commit.own, false);
  assert.equal(ra.sender.index, 2);
  assert.notDeepEqual(Array.from(a.member(2).encryptionKey), Array.from(before));
  for (const g of [a, b, c]) assert.equal(g.epoch, 2);
  sameBytes(a.epochAuthenticator(), c.epochAuthenticator());
});

test('remove: the others see who left; the removed member learns it and can no longer send', () => {
  const { groups: [a, b, c] } = threeMembers();
  const rm = a.remove(1);
  assert.deepEqual(names(rm.removed), ['bob']);
  a.merge(rm);
  const rc = c.process(rm.message);
  assert.deepEqual(names(rc.commit.removed), ['bob']);
  assert.equal(rc.commit.removesMe, false);
  c.merge(rc.commit);
  const rb = b.process(rm.message);
  assert.equal(rb.commit.removesMe, true);
  b.merge(rb.commit);
  assert.equal(b.status, 'removed');
  throwsCode(() => b.encrypt('still here?'), 'INVALID_STATE');
  assert.deepEqual(names(a.members()), ['alice', 'carol']);
  assert.equal(text.decode(c.process(a.encrypt('two of us')).data), 'two of us');
});

test('discard: an own commit refused by the delivery service leaves the group as it was', () => {
  const { groups: [a, b] } = threeMembers();
  const epoch = a.epoch;
  const auth = a.epochAuthenticator();
  const staged = a.update();
  throwsCode(() => a.update(), 'INVALID_STATE');
  throwsCode(() => a.save(), 'INVALID_STATE');
  a.discard(staged);
  assert.equal(a.epoch, epoch);
  sameBytes(a.epochAuthenticator(), auth);
  assert.equal(text.decode(b.process(a.encrypt('after discard')).data), 'after discard');
  // Another member's commit wins the race: discard ours, merge theirs.
  const mine = a.update();
  const theirs = b.update();
  b.merge(theirs);
  a.discard(mine);
  a.merge(a.process(theirs.message).commit);
  sameBytes(a.epochAuthenticator(), b.epochAuthenticator());
});

test('proposals by reference: add, remove, update, group context extensions; then commit', () => {
  const { groups: [a, b, c] } = threeMembers();
  const dave = client('dave');
  const daveKp = dave.createKeyPackage();
  const pAdd = b.proposeAdd(daveKp.message);
  const pRemove = b.proposeRemove(2);
  const pUpdate = b.proposeUpdate();
  const received = [];
  for (const p of [pAdd, pRemove]) {
    const r = a.process(p);
    received.push(r);
    c.process(p);
  }
  for (const g of [a, c]) {
    const r = g.process(pUpdate);
    assert.equal(r.kind, 'proposal');
    assert.equal(r.proposal.type, 'update');
    assert.equal(text.decode(r.proposal.credential.identity), 'bob');
  }
  assert.equal(received[0].kind, 'proposal');
  assert.equal(received[0].proposal.type, 'add');
  assert.equal(text.decode(received[0].proposal.keyPackage.credential.identity), 'dave');
  assert.equal(received[0].proposalRef.length, 32);
  assert.deepEqual(received[1].proposal, { type: 'remove', leafIndex: 2 });
  assert.equal(received[1].senderLeaf, undefined);
  assert.deepEqual(received[1].sender, { type: 'member', index: 1 });

  const commit = a.commit();
  assert.deepEqual(names(commit.added), ['dave']);
  assert.deepEqual(names(commit.removed), ['carol']);
  assert.deepEqual(names(commit.updated), ['bob']);
  a.merge(commit);
  const rb = b.process(commit.message);
  assert.deepEqual(names(rb.commit.updated), ['bob']);
  b.merge(rb.commit);
  const d = mls.Group.join(dave, commit.welcome, daveKp);
  assert.deepEqual(names(d.members()).sort(), ['alice', 'bob', 'dave']);
  sameBytes(d.epochAuthenticator(), a.epochAuthenticator());

});

// external_senders (type 5) with an empty list: an extension every member supports.
const EXTERNAL_SENDERS = { type: 5, data: new Uint8Array([0]) };

test('group context extensions: at creation and by proposal, which members see before merging', () => {
  const alice = client('alice');
  const withExt = mls.Group.create(alice, { extensions: [EXTERNAL_SENDERS] });
  assert.deepEqual(withExt.extensions().map((e) => [e.type, Array.from(e.data)]), [[5, [0]]]);
  const { groups: [a, b, c] } = threeMembers();
  assert.deepEqual(a.extensions(), []);
  const p = b.proposeGroupContextExtensions([EXTERNAL_SENDERS]);
  const r = a.process(p);
  assert.equal(r.proposal.type, 'groupContextExtensions');
  assert.deepEqual(r.proposal.extensions.map((e) => e.type), [5]);
  c.process(p);
  const commit = a.commit();
  assert.equal(commit.changesExtensions, true);
  deliver(a, commit, [b, c]);
  for (const g of [a, b, c]) assert.deepEqual(g.extensions().map((e) => e.type), [5]);
  // An extension type the members do not support: refused at creation, left out of commits.
  const unknown = { type: 0xff00, data: new Uint8Array([1]) };
  throwsCode(() => mls.Group.create(alice, { extensions: [unknown] }), 'INVALID_PROPOSAL');
  a.proposeGroupContextExtensions([unknown]);
  const skipped = a.commit();
  assert.equal(skipped.changesExtensions, false);
  a.discard(skipped);
});

test('commit with forcePath and aad, public handshake messages, ratchet tree out of band', () => {
  const opts = { handshake: 'public', ratchetTreeInWelcome: false, paddingBlock: 64, retainedEpochs: 1, alwaysUpdatePath: true };
  const alice = client('alice');
  const bob = client('bob');
  const kp = bob.createKeyPackage();
  const a = mls.Group.create(alice, opts);
  const add = a.add(kp.message);
  a.merge(add);
  throwsCode(() => mls.Group.join(bob, add.welcome, kp, opts), 'INVALID_ARGUMENT');
  const b = mls.Group.join(bob, add.welcome, kp, { ...opts, ratchetTree: a.ratchetTree() });
  const empty = b.commit({ forcePath: true, aad: new Uint8Array([7]) });
  b.merge(empty);
  const r = a.process(empty.message);
  assert.deepEqual(Array.from(r.authenticatedData), [7]);
  a.merge(r.commit);
  assert.equal(a.epoch, 2);
  sameBytes(a.epochAuthenticator(), b.epochAuthenticator());
});

test('state saves and loads as bytes: the restored group continues the conversation', () => {
  const { groups: [a, b, c], clients } = threeMembers();
  const saved = b.save();
  assert.ok(saved instanceof Uint8Array && saved.length > 100);
  b.free();
  const b2 = mls.Group.load(saved);
  assert.equal(b2.epoch, 1);
  assert.equal(b2.myLeafIndex, 1);
  assert.equal(text.decode(b2.process(a.encrypt('welcome back')).data), 'welcome back');
  deliver(c, c.update(), [a, b2]);
  sameBytes(b2.epochAuthenticator(), a.epochAuthenticator());
  // Clients and KeyPackages saved before joining still join after a reload.
  const dave = client('dave');
  const daveState = dave.save();
  const kpState = dave.createKeyPackage().save();
  const kp = mls.KeyPackage.load(kpState);
  const add = a.add(kp.message);
  deliver(a, add, [b2, c]);
  const d = mls.Group.join(mls.Client.load(daveState), add.welcome, kp);
  sameBytes(d.epochAuthenticator(), a.epochAuthenticator());
  assert.ok(clients.length === 3);
});

test('groupInfo and external joins, with and without resync', () => {
  const { groups: [a, b, c], clients: [, bob] } = threeMembers();
  const erin = client('erin');
  const { group: e, commit } = mls.Group.joinExternal(erin, a.groupInfo(), { aad: new Uint8Array([1]) });
  assert.equal(e.epoch, 2);
  for (const g of [a, b, c]) {
    const r = g.process(commit);
    assert.equal(r.commit.external, true);
    assert.deepEqual(names(r.commit.added), ['erin']);
    assert.deepEqual(r.sender, { type: 'newMemberCommit', index: -1 });
    g.merge(r.commit);
  }
  sameBytes(e.epochAuthenticator(), a.epochAuthenticator());
  assert.equal(text.decode(e.process(b.encrypt('hi erin')).data), 'hi erin');

  // Bob lost his state: he rejoins externally, removing his old leaf in the same commit.
  const info = a.groupInfo({ ratchetTree: false });
  const { group: b2, commit: resync } = mls.Group.joinExternal(bob, info, { ratchetTree: a.ratchetTree(), resyncLeaf: 1 });
  for (const g of [a, c, e]) {
    const r = g.process(resync);
    assert.deepEqual(names(r.commit.removed), ['bob']);
    g.merge(r.commit);
  }
  assert.deepEqual(names(a.members()).sort(), ['alice', 'bob', 'carol', 'erin']);
  sameBytes(b2.epochAuthenticator(), a.epochAuthenticator());
  throwsCode(() => mls.Group.joinExternal(erin, a.groupInfo({ externalPub: false })), 'INVALID_ARGUMENT');
});
