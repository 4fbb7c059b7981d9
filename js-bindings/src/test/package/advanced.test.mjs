// PSKs, ReInit and branch through the packed package.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mls, client, threeMembers, deliver, throwsCode, text, sameBytes } from './setup.mjs';

const PSK_ID = new TextEncoder().encode('psk-1');
const PSK = new Uint8Array(32).fill(7);

test('external PSK: proposed, committed, and required on every member', () => {
  const { groups: [a, b, c] } = threeMembers({ externalPsks: [{ id: PSK_ID, secret: PSK }] });
  const p = a.proposeExternalPsk(PSK_ID);
  const rb = b.process(p);
  assert.equal(rb.proposal.type, 'psk');
  assert.equal(rb.proposal.psk.type, 'external');
  sameBytes(rb.proposal.psk.id, PSK_ID);
  c.process(p);
  const commit = a.commit();
  assert.equal(commit.psks.length, 1);
  deliver(a, commit, [b, c]);
  sameBytes(a.epochAuthenticator(), c.epochAuthenticator());
});

test('a member without the external PSK gets MISSING_PSK, and succeeds once it is set', () => {
  const { groups: [a, b] } = threeMembers();
  a.setExternalPsk(PSK_ID, PSK);
  const p = a.proposeExternalPsk(PSK_ID);
  assert.equal(b.process(p).kind, 'proposal');
  const commit = a.commit();
  a.merge(commit);
  throwsCode(() => b.process(commit.message), 'MISSING_PSK');
  assert.equal(b.epoch, 1);
  b.setExternalPsk(PSK_ID, PSK);
  b.merge(b.process(commit.message).commit);
  sameBytes(a.epochAuthenticator(), b.epochAuthenticator());
});

test('resumption PSK of an earlier epoch', () => {
  const { groups: [a, b, c] } = threeMembers();
  deliver(b, b.update(), [a, c]);
  const p = a.proposeResumptionPsk(1);
  const r = c.process(p);
  assert.deepEqual({ ...r.proposal.psk, groupId: undefined }, { type: 'resumption', usage: 'application', groupId: undefined, epoch: 1 });
  b.process(p);
  deliver(a, a.commit(), [b, c]);
  assert.equal(a.epoch, 3);
  sameBytes(a.epochAuthenticator(), b.epochAuthenticator());
});

test('ReInit: the group ends, one member re-creates it in a new suite, the others join with the resumption PSK', () => {
  const { groups: [a, b, c] } = threeMembers();
  const p = b.proposeReInit({ groupId: 'next', cipherSuite: 3 });
  const seen = a.process(p);
  assert.equal(seen.proposal.type, 'reinit');
  assert.equal(seen.proposal.reInit.cipherSuite, 3);
  c.process(p);
  const commit = a.commit();
  assert.equal(commit.reInit.cipherSuite, 3);
  assert.equal(text.decode(commit.reInit.groupId), 'next');
  deliver(a, commit, [b, c]);
  for (const g of [a, b, c]) {
    assert.equal(g.status, 'reinit-pending');
    assert.equal(g.pendingReInit().cipherSuite, 3);
  }
  throwsCode(() => a.encrypt('x'), 'INVALID_STATE');
  assert.equal(mls.Group.create(client('x')).pendingReInit(), null);

  const [alice3, bob3, carol3] = ['alice', 'bob', 'carol'].map((n) => client(n, 3));
  const kps = [bob3, carol3].map((x) => x.createKeyPackage());
  throwsCode(() => a.reInitialize(client('alice'), kps.map((k) => k.message)), 'INVALID_ARGUMENT');
  const { group: a3, welcome } = a.reInitialize(alice3, kps.map((k) => k.message));
  assert.equal(a3.cipherSuite, 3);
  assert.equal(text.decode(a3.groupId), 'next');
  const b3 = mls.Group.join(bob3, welcome, kps[0], { resumptionFrom: b });
  throwsCode(() => mls.Group.join(carol3, welcome, kps[1]), 'MISSING_PSK');
  const c3 = mls.Group.join(carol3, welcome, kps[1], { resumptionFrom: c });
  for (const g of [b3, c3]) sameBytes(g.epochAuthenticator(), a3.epochAuthenticator());
  assert.equal(text.decode(c3.process(b3.encrypt('new suite')).data), 'new suite');
});

test('branch: a subgroup tied to the parent epoch', () => {
  const { groups: [a, b], clients: [, bob] } = threeMembers();
  const kp = bob.createKeyPackage();
  const { group: sub, welcome } = a.branch([kp.message], { groupId: 'side' });
  assert.equal(text.decode(sub.groupId), 'side');
  const subB = mls.Group.join(bob, welcome, kp, { resumptionFrom: b });
  sameBytes(subB.epochAuthenticator(), sub.epochAuthenticator());
  assert.equal(subB.memberCount, 2);
});

test('external join with an external PSK, which the joiner must hold', () => {
  const psks = [{ id: PSK_ID, secret: PSK }];
  const { groups: [a, b, c] } = threeMembers({ externalPsks: psks });
  throwsCode(() => mls.Group.joinExternal(client('frank'), a.groupInfo(), { psks: [PSK_ID] }), 'MISSING_PSK');
  const { group: e, commit } = mls.Group.joinExternal(client('erin'), a.groupInfo(), { psks: [PSK_ID], externalPsks: psks });
  for (const g of [a, b, c]) {
    const r = g.process(commit);
    assert.deepEqual(r.commit.psks.map((p) => p.type), ['external']);
    sameBytes(r.commit.psks[0].id, PSK_ID);
    g.merge(r.commit);
  }
  sameBytes(e.epochAuthenticator(), a.epochAuthenticator());
});
