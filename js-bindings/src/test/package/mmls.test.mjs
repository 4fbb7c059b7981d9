// mlskit/mmls through the packed package: sessions driven by hand, then peers over MemoryRelay
// (partition and heal, loss and duplicates, save and restore) and over BroadcastChannel.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { MmlsSession, MmlsPeer, MemoryRelay, BroadcastChannelTransport, FrameType, encodeFrame, decodeFrame } from 'mlskit/mmls';
import { mls, build, client, throwsCode, text, sameBytes } from './setup.mjs';

const hex = (b) => Buffer.from(b).toString('hex');

/** Peers and transports a test opened: closed after it, passed or failed (open channels keep Node alive). */
const opened = [];
test.afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});
function track(x) {
  opened.push(x);
  return x;
}

/**
 * Sessions for `names`, each with one KeyPackage per other participant's send group:
 * {sessions, keyPackagesFor(owner)}.
 */
function participants(names, sessionId = 'session-1', policy = {}) {
  const sessions = {};
  for (const n of names) {
    sessions[n] = MmlsSession.create(client(n), { sessionId, keyPackages: names.length - 1, ...policy });
  }
  // participant p's KeyPackage for owner o: the one at o's index among p's others
  const keyPackagesFor = (owner) => names.filter((p) => p !== owner)
    .map((p) => sessions[p].keyPackages[names.filter((o) => o !== p).indexOf(owner)]);
  return { sessions, keyPackagesFor };
}

/** Delivers every entry to every other session, in publication order, recursively; collects events. */
function deliverAll(sessions, from, step, events) {
  (events[from] ??= []).push(...step.events);
  for (const e of step.entries) {
    for (const [n, s] of Object.entries(sessions)) {
      if (n !== from) deliverAll(sessions, n, s.receive(e), events);
    }
  }
}

function messages(events) {
  return (events ?? []).filter((e) => e.type === 'message').map((e) => `${e.sender}:${text.decode(e.data)}`);
}

/** Every member of every send group sees the same epoch authenticator and members for it. */
function assertConverged(sessions) {
  const names = Object.keys(sessions);
  for (const owner of names) {
    const view = sessions[owner];
    const members = view.members(owner);
    assert.deepEqual(view.roster, members);
    for (const m of members) {
      const s = sessions[m];
      assert.deepEqual(s.members(owner), members, `${m}'s view of ${owner}'s members`);
      assert.equal(s.epoch(owner), view.epoch(owner), `${m}'s epoch of ${owner}'s group`);
      sameBytes(s.epochAuthenticator(owner), view.epochAuthenticator(owner));
    }
  }
}

async function waitFor(what, cond, ms = 20000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until every view agrees; on timeout fails with the first disagreement. */
async function convergence(sessions) {
  try {
    await waitFor('convergence', () => converged(sessions));
  } catch {
    assertConverged(sessions);
  }
}

function converged(sessions) {
  try {
    assertConverged(sessions);
    return true;
  } catch {
    return false;
  }
}

test('sessions: INIT, messages, views, export and anti-entropy by hand', () => {
  const names = ['alice', 'bob', 'carol'];
  const { sessions, keyPackagesFor } = participants(names);
  const events = {};
  const a = sessions.alice;
  assert.equal(a.id, 'alice');
  assert.equal(text.decode(a.sessionId), 'session-1');
  assert.equal(a.keyPackages.length, 2);
  const info = mls.KeyPackage.inspect(a.keyPackages[0]);
  assert.equal(info.cipherSuite, 1);
  for (const n of names) deliverAll(sessions, n, sessions[n].start(keyPackagesFor(n)), events);
  for (const n of names) {
    assert.deepEqual(sessions[n].roster, names.filter((x) => x !== n));
    assert.deepEqual(sessions[n].senders, names.filter((x) => x !== n));
    assert.ok(events[n].some((e) => e.type === 'joined'));
  }
  deliverAll(sessions, 'alice', a.protect('hi from alice'), events);
  deliverAll(sessions, 'bob', sessions.bob.update(), events);
  deliverAll(sessions, 'carol', sessions.carol.protect(new TextEncoder().encode('hi from carol')), events);
  deliverAll(sessions, 'alice', a.protect('after bob updated'), events);
  assert.deepEqual(messages(events.bob), ['alice:hi from alice', 'carol:hi from carol', 'alice:after bob updated']);
  assert.deepEqual(messages(events.carol), ['alice:hi from alice', 'alice:after bob updated']);
  assertConverged(sessions);
  assert.ok(a.epoch('alice') >= 2, 'alice committed bob\'s Update and the imports');
  sameBytes(sessions.bob.exportFrom('alice', 'app', 'ctx', 32), a.exportFrom('alice', 'app', new TextEncoder().encode('ctx'), 32));
  throwsCode(() => a.exportFrom('nobody', 'app', '', 16), 'UNKNOWN_MEMBER');
  assert.equal(a.members('nobody'), null);
  assert.equal(a.epoch('nobody'), -1);
  assert.equal(a.epochAuthenticator('nobody'), null);
  assert.equal(a.authorKey('bob').length, 32);

  // a fourth participant's view: nothing; anti-entropy from alice fills it as a relay would
  const dave = MmlsSession.create(client('dave'), { sessionId: 'session-1' });
  const missing = a.missingFor(dave.summary());
  assert.ok(missing.length >= 6, `alice offers every entry she holds (${missing.length})`);
  for (const e of missing.reverse()) dave.receive(e); // any order
  // dave knows no author's key: he keeps the entries unchained, reads nothing, and forwards them all
  assert.deepEqual(dave.senders, []);
  const eve = MmlsSession.create(client('eve'), { sessionId: 'session-1' });
  assert.deepEqual(dave.missingFor(eve.summary()).map(hex).sort(), missing.map(hex).sort());
  for (const e of dave.missingFor(eve.summary())) eve.receive(e);
  assert.equal(eve.missingFor(a.summary()).length, missing.length);
});

test('sessions: bad bytes are typed errors and change nothing', () => {
  const names = ['alice', 'bob'];
  const { sessions, keyPackagesFor } = participants(names);
  const events = {};
  for (const n of names) deliverAll(sessions, n, sessions[n].start(keyPackagesFor(n)), events);
  const b = sessions.bob;
  const before = [hex(b.save()), hex(b.summary())];
  const entry = sessions.alice.protect('x').entries[0];
  throwsCode(() => b.receive(new Uint8Array([1, 2, 3])), 'MALFORMED');
  throwsCode(() => b.receive(entry.subarray(0, entry.length - 1)), 'MALFORMED');
  throwsCode(() => b.receive(new Uint8Array([...entry, 0])), 'MALFORMED');
  throwsCode(() => b.missingFor(new Uint8Array([5, 1])), 'MALFORMED');
  throwsCode(() => b.receive('entry'), 'INVALID_ARGUMENT');
  throwsCode(() => b.start([]), 'INVALID_STATE');
  throwsCode(() => MmlsSession.load(new Uint8Array([0, 1, 2])), 'MALFORMED');
  throwsCode(() => MmlsSession.create(client('x'), { sessionId: '' }), 'INVALID_ARGUMENT');
  assert.deepEqual([hex(b.save()), hex(b.summary())], before);
  // the real entry still goes through afterwards
  const step = b.receive(entry);
  assert.equal(step.received, true);
  assert.deepEqual(messages(step.events), ['alice:x']);
  const freed = MmlsSession.create(client('y'), { sessionId: 's' });
  freed.free();
  throwsCode(() => freed.summary(), 'INVALID_STATE');
});

test('sessions: an owner that forks its log is caught with evidence anyone can verify', () => {
  const names = ['alice', 'bob', 'carol'];
  const { sessions, keyPackagesFor } = participants(names);
  const events = {};
  for (const n of names) deliverAll(sessions, n, sessions[n].start(keyPackagesFor(n)), events);
  const twin = MmlsSession.load(sessions.alice.save()); // alice restored twice: the same seq and epoch
  const one = sessions.alice.update().entries;
  const two = twin.update().entries;
  for (const e of one) sessions.bob.receive(e);
  const found = two.flatMap((e) => sessions.bob.receive(e).events).filter((e) => e.type === 'equivocation');
  assert.equal(found.length, 1);
  const ev = found[0].evidence;
  assert.equal(found[0].owner, 'alice');
  assert.equal(ev.author, 'alice');
  assert.deepEqual(sessions.bob.equivocators, ['alice']);
  const key = sessions.carol.authorKey('alice');
  assert.equal(MmlsSession.verifyEquivocation(1, key, ev), true);
  assert.equal(MmlsSession.verifyEquivocation(1, sessions.carol.authorKey('bob'), ev), false);
  const forged = { ...ev, second: ev.second.slice() };
  forged.second[forged.second.length - 5] ^= 1; // inside the signature
  assert.equal(MmlsSession.verifyEquivocation(1, key, forged), false);
  assert.equal(MmlsSession.verifyEquivocation(1, key, { ...ev, second: ev.first }), false);
});

test('frames: type, session id, body; anything else is not a frame', () => {
  const f = encodeFrame(FrameType.SUMMARY, new TextEncoder().encode('s'), new Uint8Array([7, 8]));
  assert.deepEqual(Array.from(f), [2, 1, 115, 7, 8]);
  const d = decodeFrame(f);
  assert.equal(d.type, 2);
  assert.deepEqual(Array.from(d.body), [7, 8]);
  assert.equal(decodeFrame(new Uint8Array([9, 1, 115])), null);
  assert.equal(decodeFrame(new Uint8Array([1, 5, 115])), null);
  assert.equal(decodeFrame(new Uint8Array([1])), null);
});

/** Peers for `names` on transports from `connect()`, started (INIT) and joined everywhere. */
async function startPeers(names, connect, options = {}) {
  const { sessions, keyPackagesFor } = participants(names);
  const peers = {};
  const got = {};
  for (const n of names) {
    got[n] = [];
    peers[n] = track(new MmlsPeer(sessions[n], connect(n), { antiEntropyInterval: 200, ...options }));
    peers[n].on('message', (e) => got[n].push(`${e.sender}:${text.decode(e.data)}`));
  }
  for (const n of names) await peers[n].start(keyPackagesFor(n));
  await waitFor('everyone joined everyone', () => names.every((n) => sessions[n].senders.length === names.length - 1));
  return { sessions, peers, got };
}

function closeAll(peers) {
  for (const p of Object.values(peers)) p.close();
}

test('peers over MemoryRelay: three exchange messages', async () => {
  const relay = new MemoryRelay();
  const names = ['alice', 'bob', 'carol'];
  const { sessions, peers, got } = await startPeers(names, () => relay.connect());
  const rosters = [];
  peers.bob.on('roster', (e) => rosters.push(e));
  await peers.alice.send('one');
  await peers.bob.send('two');
  await peers.carol.send('three');
  await waitFor('all messages', () => names.every((n) => got[n].length === 2));
  assert.deepEqual(got.alice.sort(), ['bob:two', 'carol:three']);
  assert.deepEqual(got.bob.sort(), ['alice:one', 'carol:three']);
  assert.deepEqual(got.carol.sort(), ['alice:one', 'bob:two']);
  await peers.alice.remove('carol');
  await waitFor('carol removed from alice\'s roster everywhere', () => !sessions.bob.members('alice').includes('carol'));
  assert.ok(rosters.some((e) => e.owner === 'alice' && e.members.join() === 'bob'));
  assert.deepEqual(sessions.alice.roster, ['bob']);
  closeAll(peers);
});

test('peers: a partitioned peer comes back, reads everything and everyone converges', async () => {
  const relay = new MemoryRelay({ reorder: 5, seed: 7 });
  const names = ['alice', 'bob', 'carol'];
  const { sessions, peers, got } = await startPeers(names, () => relay.connect(), { antiEntropyInterval: 0 });
  peers.carol.setOnline(false);
  assert.equal(peers.carol.online, false);
  await peers.alice.send('while carol is away 1');
  await peers.bob.update();
  await peers.bob.send('while carol is away 2');
  await peers.alice.update();
  await peers.alice.send('while carol is away 3');
  await peers.carol.send('carol wrote offline');
  await relay.idle();
  await waitFor('alice and bob read each other', () => got.alice.length === 1 && got.bob.length === 2);
  assert.deepEqual(got.carol, [], 'nothing reaches an offline peer');
  assert.ok(!got.alice.some((m) => m.startsWith('carol:')));
  peers.carol.setOnline(true); // announces its summary; no periodic anti-entropy in this test
  await waitFor('carol catches up both ways', () => got.carol.length === 3 && got.alice.length === 2 && got.bob.length === 3);
  assert.deepEqual([...got.carol].sort(), ['alice:while carol is away 1', 'alice:while carol is away 3', 'bob:while carol is away 2']);
  assert.ok(got.alice.includes('carol:carol wrote offline') && got.bob.includes('carol:carol wrote offline'));
  // bob's Update is committed by carol's next commit; then every group agrees everywhere
  await peers.carol.commit();
  await convergence(sessions);
  assertConverged(sessions);
  closeAll(peers);
});

test('peers: a lossy, duplicating, reordering relay converges through anti-entropy', async () => {
  const relay = new MemoryRelay({ loss: 0.3, duplicate: 0.3, reorder: 20, seed: 42 });
  const names = ['alice', 'bob', 'carol'];
  const { sessions, peers, got } = await startPeers(names, () => relay.connect(), { antiEntropyInterval: 50 });
  const sent = [];
  for (let i = 0; i < 3; i++) {
    for (const n of names) {
      await peers[n].send(`${n} ${i}`);
      sent.push(`${n}:${n} ${i}`);
    }
    await peers[names[i]].update();
  }
  for (const n of names) await peers[n].commit();
  await waitFor('every message once, everywhere', () => names.every((n) => got[n].length >= 6));
  for (const n of names) {
    assert.deepEqual([...got[n]].sort(), sent.filter((m) => !m.startsWith(`${n}:`)).sort(), `${n} read each message once`);
  }
  await convergence(sessions);
  const s = relay.stats;
  assert.ok(s.dropped > 0 && s.duplicated > 0, `the relay lost and duplicated (${JSON.stringify(s)})`);
  closeAll(peers);
});

test('peers: state saved after every step restores mid-conversation', async () => {
  const relay = new MemoryRelay();
  const names = ['alice', 'bob', 'carol'];
  let bobState = null;
  let saves = 0;
  const { sessions, keyPackagesFor } = participants(names);
  const peers = {};
  const got = { alice: [], bob: [], carol: [] };
  for (const n of names) {
    const save = n === 'bob' ? (s) => { bobState = s; saves++; } : undefined;
    peers[n] = track(new MmlsPeer(sessions[n], relay.connect(), { antiEntropyInterval: 100, save }));
    peers[n].on('message', (e) => got[n].push(`${e.sender}:${text.decode(e.data)}`));
  }
  for (const n of names) await peers[n].start(keyPackagesFor(n));
  await peers.alice.send('before');
  await waitFor('bob reads', () => got.bob.length === 1);
  assert.ok(saves >= 2 && bobState instanceof Uint8Array);
  peers.bob.close(); // bob's tab closes
  await peers.alice.send('while bob is gone');
  await peers.carol.update();
  const restored = MmlsSession.load(bobState);
  assert.equal(restored.id, 'bob');
  assert.deepEqual(restored.senders, ['alice', 'carol']);
  sessions.bob = restored;
  peers.bob = track(new MmlsPeer(restored, relay.connect(), { antiEntropyInterval: 100, save: (s) => { bobState = s; } }));
  peers.bob.on('message', (e) => got.bob.push(`${e.sender}:${text.decode(e.data)}`));
  await waitFor('bob catches up after restore', () => got.bob.length === 2);
  assert.deepEqual(got.bob, ['alice:before', 'alice:while bob is gone']);
  await peers.bob.send('bob is back');
  await waitFor('the others read bob', () => got.alice.includes('bob:bob is back') && got.carol.includes('bob:bob is back'));
  await peers.alice.commit();
  await convergence(sessions);
  closeAll(peers);
});

test('peers: a storage failure closes the peer before anything is published', async () => {
  const relay = new MemoryRelay();
  const { sessions, keyPackagesFor } = participants(['alice', 'bob']);
  const listener = relay.connect();
  const heard = [];
  listener.onReceive((b) => heard.push(decodeFrame(b).type));
  const errors = [];
  const p = new MmlsPeer(sessions.alice, relay.connect(), { antiEntropyInterval: 0, save: () => { throw new Error('disk full'); } });
  p.on('error', (e) => errors.push(e));
  await assert.rejects(p.start(keyPackagesFor('alice')), (e) => e instanceof mls.MlsError && e.code === 'INVALID_STATE');
  await relay.idle();
  assert.deepEqual(heard, [FrameType.SUMMARY], 'only the connect announcement, no entry');
  assert.equal(p.closed, true);
  assert.equal(errors.length, 1);
  await assert.rejects(p.send('x'), (e) => e.code === 'INVALID_STATE');
  listener.close();
});

test('peers over BroadcastChannel: three channels in one process', async () => {
  const channel = `mmls-test-${build}-${process.pid}`;
  const names = ['alice', 'bob', 'carol'];
  const { sessions, peers, got } = await startPeers(names, () => new BroadcastChannelTransport(channel));
  await peers.alice.send('over a channel');
  await peers.carol.update();
  await peers.bob.send('back');
  await waitFor('messages over BroadcastChannel', () => got.carol.length === 2 && got.alice.length === 1);
  await peers.alice.commit();
  await convergence(sessions);
  // another session on the same channel is ignored unread
  const other = MmlsSession.create(client('mallory'), { sessionId: 'another-session' });
  const stray = track(new MmlsPeer(other, new BroadcastChannelTransport(channel), { antiEntropyInterval: 0 }));
  await stray.send('nobody hears this').catch(() => {});
  await stray.announce();
  await waitFor('the stray summary reached alice', () => peers.alice.stats.ignored > 0);
  assert.deepEqual(got.alice, ['bob:back']);
  stray.close();
  closeAll(peers);
});

test('peers over BroadcastChannel: a peer in a worker thread', async () => {
  const channel = `mmls-worker-${build}-${process.pid}`;
  const { sessions, keyPackagesFor } = participants(['alice', 'bob']);
  const worker = new Worker(new URL('./mmls-worker.mjs', import.meta.url), {
    workerData: { build, channel, state: sessions.bob.save(), keyPackages: keyPackagesFor('bob') },
  });
  const fromWorker = [];
  worker.on('message', (m) => fromWorker.push(m));
  const failed = new Promise((_, reject) => worker.on('error', reject));
  sessions.bob.free();
  const got = [];
  const alice = track(new MmlsPeer(sessions.alice, new BroadcastChannelTransport(channel), { antiEntropyInterval: 100 }));
  opened.push({ close: () => worker.terminate() });
  alice.on('message', (e) => got.push(`${e.sender}:${text.decode(e.data)}`));
  await alice.start(keyPackagesFor('alice'));
  await Promise.race([waitFor('bob joined in the worker', () => fromWorker.includes('joined')), failed]);
  await alice.send('ping');
  await Promise.race([waitFor('pong from the worker', () => got.includes('bob:pong ping')), failed]);
  alice.close();
  await worker.terminate();
});
