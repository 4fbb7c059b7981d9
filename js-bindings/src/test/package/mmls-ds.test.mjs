// mlskit/mmls over the real delivery service used as a plain relay (DsRelayTransport: POST
// /v1/relay and the mailbox socket), in the build named by MLSKIT_BUILD. Three participants; carol
// disconnects (her transport closed: a partition) while alice and bob talk and update and she
// writes too; she comes back from her saved state and mailbox cursor, reads everything exactly
// once, and all three converge. Also: KeyPackages through the DS's directory, a name not
// registered yet is skipped and caught up by anti-entropy, and a key that does not own its name
// is refused for good.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'mlskit';
import { MmlsSession, MmlsPeer, DsRelayTransport } from 'mlskit/mmls';
import { build, text } from './setup.mjs';
import { startDs } from './ds.mjs';

const ds = await startDs();
const WAIT_MS = build === 'js' ? 180_000 : 60_000;
const open = [];

after(async () => {
  for (const x of open) x.close();
  await ds.stop();
});

async function until(what, check) {
  const end = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A participant `name/mmls` on the DS: its client, session, transport, peer and what it read. */
async function participant(name, others, saved = null) {
  const id = `${name}/mmls`;
  const ids = others.map((o) => `${o}/mmls`);
  const p = saved ?? { name, id, read: [] };
  p.client ??= Client.create({ identity: id });
  p.session = saved ? MmlsSession.load(saved.state) : MmlsSession.create(p.client, { sessionId: 'ds-relay', keyPackages: ids.length });
  p.transport = new DsRelayTransport(ds.url, { client: p.client, to: ids, after: saved?.cursor ?? 0, onCursor: (c) => { p.cursor = c; } });
  open.push(p.transport);
  await p.transport.ready;
  p.peer = new MmlsPeer(p.session, p.transport, { save: (s) => { p.state = s; }, antiEntropyInterval: 500 });
  p.transport.onStatus((online) => online && p.peer.announce().catch(() => {}));
  p.peer.on('message', (e) => p.read.push(`${e.sender.split('/')[0]}: ${text.decode(e.data)}`));
  return p;
}

test('three participants over the DS relay: a partition, writes on both sides, the heal, convergence', async () => {
  const alice = await participant('alice', ['bob', 'carol']);
  const bob = await participant('bob', ['alice', 'carol']);
  let carol = await participant('carol', ['alice', 'bob']);
  const all = () => [alice, bob, carol];
  for (const p of all()) await p.transport.uploadKeyPackages([...p.session.keyPackages]);
  for (const p of all()) {
    const others = all().filter((o) => o !== p);
    const kps = [];
    for (const o of others) kps.push(await p.transport.claimKeyPackage(o.id));
    assert.ok(kps.every((k) => k instanceof Uint8Array), 'one KeyPackage per other participant from the directory');
    await p.peer.start(kps);
  }
  await until('everyone in everyone\'s send group', () => all().every((p) => p.session.senders.length === 2));

  await alice.peer.send('before the partition');
  await until('the first message', () => bob.read.length === 1 && carol.read.length === 1);

  // The partition: carol's transport goes away (what she writes is saved, not sent).
  carol.peer.close();
  const carolSaved = { ...carol, state: carol.session.save() };
  await alice.peer.send('alice during the partition');
  await bob.peer.update();
  await alice.peer.update();
  await bob.peer.send('bob during the partition');
  await until('alice and bob read each other', () => alice.read.includes('bob: bob during the partition')
    && bob.read.includes('alice: alice during the partition'));
  assert.ok(!carol.read.includes('alice: alice during the partition'));

  // carol writes offline: a session step whose entries wait in her saved state's log.
  const offline = MmlsSession.load(carolSaved.state);
  offline.protect('carol while offline');
  carolSaved.state = offline.save();
  offline.free();

  // The heal: carol comes back from her saved state and mailbox cursor.
  carol = await participant('carol', ['alice', 'bob'], carolSaved);
  await until('carol reads what she missed', () => carol.read.includes('alice: alice during the partition')
    && carol.read.includes('bob: bob during the partition'));
  await until('the others read carol\'s offline message', () => alice.read.includes('carol: carol while offline')
    && bob.read.includes('carol: carol while offline'));
  await until('every send group the same everywhere', () => all().every((p) => all().every((q) =>
    [alice, bob, carol].every((o) => Buffer.from(p.session.epochAuthenticator(o.id) ?? []).equals(
      Buffer.from(q.session.epochAuthenticator(o.id) ?? [1]))))));
  for (const p of all()) {
    assert.equal(new Set(p.read).size, p.read.length, `${p.name} read nothing twice: ${p.read}`);
  }
  assert.deepEqual(carol.read.filter((m) => m.startsWith('alice') || m.startsWith('bob')).sort(),
    ['alice: alice during the partition', 'alice: before the partition', 'bob: bob during the partition']);
  for (const p of all()) p.peer.close();
});

test('a key that does not own its name is refused for good', async () => {
  const first = Client.create({ identity: 'dave/mmls' });
  const t1 = new DsRelayTransport(ds.url, { client: first, to: ['erin/mmls'] });
  open.push(t1);
  await t1.ready;
  const impostor = Client.create({ identity: 'dave/mmls' });
  const t2 = new DsRelayTransport(ds.url, { client: impostor, to: ['erin/mmls'] });
  open.push(t2);
  await assert.rejects(t2.ready, (e) => e.code === 'BAD_SIGNATURE' || e.code === 'FORBIDDEN');
  assert.throws(() => new DsRelayTransport(ds.url, { client: Client.create({ identity: 'no-slash' }), to: [] }),
    (e) => e.code === 'INVALID_ARGUMENT');
});
