// The three-member flow the browser tests run against the packed package, in a page or a Web
// Worker. step "create": a group of three, messages both ways, remove, update, then the two
// remaining members' groups saved to IndexedDB. step "restore" (after a reload): both groups
// loaded from IndexedDB continue the conversation and commit once more.
import * as mls from '../node_modules/mlskit/dist/index.js';
import { openStateStore } from '../node_modules/mlskit/dist/idb.js';

const text = new TextDecoder();

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

function same(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function receive(group, message, expected, from) {
  const m = group.process(message);
  check(m.kind === 'application', `application message, got ${m.kind}`);
  check(text.decode(m.data) === expected, `text "${expected}"`);
  check(m.senderLeaf === from, `sender leaf ${from}`);
}

function deliverCommit(sender, staged, others) {
  sender.merge(staged);
  return others.map((g) => {
    const r = g.process(staged.message);
    check(r.kind === 'commit', 'a commit');
    g.merge(r.commit);
    return r.commit;
  });
}

async function create(store, log) {
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => mls.Client.create({ identity: n }));
  const kps = [bob, carol].map((c) => c.createKeyPackage());
  const a = mls.Group.create(alice, { groupId: 'browser-group' });
  const add = a.add(kps.map((k) => k.message));
  a.merge(add);
  const b = mls.Group.join(bob, add.welcome, kps[0]);
  const c = mls.Group.join(carol, add.welcome, kps[1]);
  check(a.memberCount === 3 && b.epoch === 1 && c.epoch === 1, 'three members at epoch 1');
  log.push('created and added');

  for (const [from, leaf, to] of [[a, 0, [b, c]], [b, 1, [a, c]], [c, 2, [a, b]]]) {
    const msg = from.encrypt(`hello from ${leaf}`);
    for (const g of to) receive(g, msg, `hello from ${leaf}`, leaf);
  }
  log.push('messages both ways');

  const rm = a.remove(1);
  check(rm.removed.length === 1 && text.decode(rm.removed[0].identity) === 'bob', 'removes bob');
  const [seenByC] = deliverCommit(a, rm, [c]);
  check(text.decode(seenByC.removed[0].identity) === 'bob', 'carol sees bob removed');
  const byBob = b.process(rm.message);
  check(byBob.kind === 'commit' && byBob.commit.removesMe, 'bob learns he is removed');
  b.merge(byBob.commit);
  check(b.status === 'removed', 'bob removed');
  log.push('removed bob');

  const up = c.update();
  deliverCommit(c, up, [a]);
  check(a.epoch === 3 && same(a.epochAuthenticator(), c.epochAuthenticator()), 'agree after update');
  log.push('carol updated');

  await store.put('alice', a.save());
  await store.put('carol', c.save());
  await store.put('authenticator', a.epochAuthenticator());
  log.push('saved to IndexedDB');
  return { epoch: a.epoch };
}

async function restore(store, log) {
  const keys = await store.keys();
  check(keys.join() === 'alice,authenticator,carol', `stored keys ${keys.join()}`);
  const a = mls.Group.load(await store.get('alice'));
  const c = mls.Group.load(await store.get('carol'));
  check(a.epoch === 3 && c.epoch === 3, 'restored at epoch 3');
  check(same(a.epochAuthenticator(), await store.get('authenticator')), 'same epoch authenticator');
  check(a.members().map((m) => text.decode(m.identity)).join() === 'alice,carol', 'members alice and carol');
  log.push('restored from IndexedDB');
  receive(c, a.encrypt('after reload'), 'after reload', 0);
  receive(a, c.encrypt('still here'), 'still here', 2);
  deliverCommit(a, a.update(), [c]);
  check(same(a.epochAuthenticator(), c.epochAuthenticator()), 'agree after a commit');
  await store.put('alice', a.save());
  await store.put('carol', c.save());
  log.push('messages and a commit after restore');
  return { epoch: a.epoch };
}

/** Runs one step with the given build; resolves to {ok, build, log, ...} (never rejects). */
export async function run(build, step, dbName) {
  const log = [];
  try {
    const used = await mls.init({ build });
    check(used === build, `build ${build} in use, got ${used}`);
    const store = await openStateStore(dbName);
    try {
      if (step === 'create') {
        for (const k of await store.keys()) await store.delete(k);
      }
      const r = step === 'create' ? await create(store, log) : await restore(store, log);
      return { ok: true, build: used, step, log, ...r, liveObjects: mls.liveObjects() };
    } finally {
      store.close();
    }
  } catch (e) {
    return { ok: false, build, step, log, error: `${e && e.code ? e.code + ': ' : ''}${e && e.stack ? e.stack : e}` };
  }
}
