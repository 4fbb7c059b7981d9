// The complete client's group-operation benchmarks (docs/benchmarks.md) through the npm package's
// JS API, in both shapes of that section:
// - adds: a committer (leaf 0) created the group and added every other member in one commit; the
//   receiver (leaf 1) joined from its Welcome;
// - updated: every member has sent a commit with an UpdatePath, so no parent node is blank. Built
//   for real: the receiver joins from a Welcome, every other member joins by external commit (which
//   carries a path), the committer and the receiver process each, and then both send an update.
// Handshake messages are PublicMessages (so one commit can be processed again) and application
// messages are not padded. Each operation leaves the groups as they were (staged commits are discarded).
import * as mls from '../node_modules/mlskit/dist/index.js';
import { measurer } from './bench-util.mjs';

const OPTIONS = { handshake: 'public', paddingBlock: 0 };

function scenario(members, shape) {
  return shape === 'updated' ? updatedScenario(members) : addsScenario(members);
}

function addsScenario(members) {
  const clients = [];
  const kps = [];
  for (let i = 0; i < members; i++) {
    clients.push(mls.Client.create({ identity: `member-${i}` }));
    if (i > 0) kps.push(clients[i].createKeyPackage());
  }
  const committer = mls.Group.create(clients[0], OPTIONS);
  const add = committer.add(kps.map((k) => k.message));
  committer.merge(add);
  const receiver = mls.Group.join(clients[1], add.welcome, kps[0], OPTIONS);
  for (let i = 1; i < kps.length; i++) kps[i].free();
  for (let i = 2; i < members; i++) clients[i].free();
  return { committer, receiver };
}

function updatedScenario(members) {
  const committer = mls.Group.create(mls.Client.create({ identity: 'member-0' }), OPTIONS);
  const receiverClient = mls.Client.create({ identity: 'member-1' });
  const receiverKp = receiverClient.createKeyPackage();
  const add = committer.add([receiverKp.message]);
  committer.merge(add);
  const receiver = mls.Group.join(receiverClient, add.welcome, receiverKp, OPTIONS);
  receiverKp.free();
  const deliver = (commit, ...to) => {
    for (const g of to) g.merge(g.process(commit).commit);
  };
  for (let i = 2; i < members; i++) {
    const client = mls.Client.create({ identity: `member-${i}` });
    const { group, commit } = mls.Group.joinExternal(client, committer.groupInfo(), OPTIONS);
    deliver(commit, committer, receiver);
    group.free();
    client.free();
  }
  for (const [sender, other] of [[committer, receiver], [receiver, committer]]) {
    const update = sender.update();
    sender.merge(update);
    deliver(update.message, other);
  }
  return { committer, receiver };
}

/** The timed operations on a scenario; `free()` releases what they use. */
function operations(members, shape) {
  const { committer, receiver } = scenario(members, shape);
  const joiner = mls.Client.create({ identity: 'joiner' });
  const joinerKp = joiner.createKeyPackage();
  const staged = committer.add([joinerKp.message]);
  const welcome = staged.welcome;
  committer.discard(staged);
  const update = committer.update();
  const commitMessage = update.message;
  committer.discard(update);
  const data = new Uint8Array(1024).fill(1);
  return {
    ops: {
      'commit-create': () => committer.discard(committer.update()),
      'commit-process': () => receiver.discard(receiver.process(commitMessage).commit),
      add: () => committer.discard(committer.add([joinerKp.message])),
      remove: () => committer.discard(committer.remove(members - 1)),
      join: () => mls.Group.join(joiner, welcome, joinerKp, OPTIONS).free(),
      // Before encrypt: messages encrypted and never delivered would move the sender's ratchet
      // beyond the receiver's out-of-order window.
      'encrypt-decrypt': () => receiver.process(committer.encrypt(data)),
      encrypt: () => committer.encrypt(data),
    },
    free() {
      for (const x of [committer, receiver, joiner, joinerKp]) x.free();
    },
  };
}

/**
 * Runs every operation at each size; `progress` gets a line per result. First every operation
 * runs for a few seconds on a small group, and each one alone for `opWarmMs` before it is timed,
 * so that the engine has compiled the hot code with its optimising tier (on a busy 2-core machine
 * tier-up lags).
 */
export async function benchGroups(build, sizes, budgetMs, progress, shapes = ['adds'], opWarmMs = 1000) {
  const used = await mls.init({ build });
  if (used !== build) throw new Error(`asked for ${build}, got ${used}`);
  const warm = operations(10, 'adds');
  const until = performance.now() + 5000;
  while (performance.now() < until) {
    for (const op of Object.values(warm.ops)) op();
  }
  warm.free();
  const measure = measurer(budgetMs, 3);
  const results = [];
  for (const shape of shapes) {
    for (const members of sizes) {
      const t0 = performance.now();
      const { ops, free } = operations(members, shape);
      const buildMs = performance.now() - t0;
      const timed = (op) => (n) => {
        const start = performance.now();
        for (let i = 0; i < n; i++) op();
        return ((performance.now() - start) * 1000) / n;
      };
      for (const [name, op] of Object.entries(ops)) {
        // Each operation alone before its timing: V8 tiers a wasm function up once it is hot, and
        // the message path (AES-GCM, ratchet) is barely touched by the mixed warm-up above.
        for (const until = performance.now() + opWarmMs; performance.now() < until;) op();
        const r = measure(timed(op));
        const row = { build, shape, members, op: name, buildMs, ...r };
        results.push(row);
        progress(JSON.stringify(row));
      }
      free();
    }
  }
  return { build, results, liveObjects: mls.liveObjects(), userAgent: navigator.userAgent };
}

/**
 * The scale shapes through the package (the scenario of org.mlskit.group.ScaleBench, suite 1):
 * N - 1 clients and KeyPackages are made once, untimed. Each round a new group of one adds them
 * all in one commit, Welcome included (batch-add), and the last of them joins from the first
 * round's Welcome (join). Before each join the page inspects 1,100 other KeyPackages, which fills
 * the verifier's key caches (1,024 keys) with other keys, as a joiner's fresh process has none of
 * the tree's. `progress` gets a line per timing.
 */
export async function benchScale(build, sizes, rounds, progress) {
  const used = await mls.init({ build });
  if (used !== build) throw new Error(`asked for ${build}, got ${used}`);
  const strangers = [];
  const evictKeyCaches = () => {
    if (strangers.length === 0) {
      for (let i = 0; i < 1100; i++) {
        const c = mls.Client.create({ identity: `stranger-${i}` });
        const kp = c.createKeyPackage();
        strangers.push(kp.message);
        kp.free();
        c.free();
      }
    }
    for (const m of strangers) mls.KeyPackage.inspect(m);
  };
  const results = [];
  for (const members of sizes) {
    let t0 = performance.now();
    const clients = [];
    const kps = [];
    for (let i = 1; i < members; i++) {
      clients.push(mls.Client.create({ identity: `member-${i}` }));
      kps.push(clients[i - 1].createKeyPackage());
    }
    const messages = kps.map((k) => k.message);
    const setupMs = performance.now() - t0;
    let welcome;
    for (let round = 1; round <= rounds; round++) {
      const creatorClient = mls.Client.create({ identity: 'member-0' });
      const creator = mls.Group.create(creatorClient, OPTIONS);
      t0 = performance.now();
      const add = creator.add(messages);
      const addMs = performance.now() - t0;
      welcome ??= add.welcome;
      creator.discard(add);
      creator.free();
      creatorClient.free();
      evictKeyCaches();
      t0 = performance.now();
      const joined = mls.Group.join(clients[members - 2], welcome, kps[members - 2], OPTIONS);
      const joinMs = performance.now() - t0;
      joined.free();
      const row = { build, members, round, setupMs, addMs, joinMs, heapMiB: performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1048576) : null };
      results.push(row);
      progress(JSON.stringify(row));
    }
    for (const x of [...clients, ...kps]) x.free();
  }
  return { build, scale: results, liveObjects: mls.liveObjects(), userAgent: navigator.userAgent };
}
