// mlskit/client against the real delivery service (SQLite, loopback), in the build named by
// MLSKIT_BUILD: three users, bob with two devices; invite, chat, both of bob's devices receive;
// a client restarted from its storage directory resumes; two members update at once while a
// message is sent and everyone ends on one epoch authenticator with nothing lost; a removed user
// sees the removal and nothing after it; the DS's database holds no plaintext.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MlsClient } from 'mlskit/client';
import { directoryStorage } from 'mlskit/client/node';
import { clientEpochKeys } from 'mlskit/call';
import { build } from './setup.mjs';
import { startDs } from './ds.mjs';

const ds = await startDs();
const home = await mkdtemp(join(tmpdir(), 'mlskit-client-'));
const devices = new Map();
// The JS build does curve arithmetic on emulated 64-bit integers: give it time.
const WAIT_MS = build === 'js' ? 120_000 : 30_000;

after(async () => {
  for (const d of devices.values()) await d.client?.close().catch(() => {});
  await ds.stop();
  await rm(home, { recursive: true, force: true });
});

/** Opens user/device with its storage directory and records everything it hears. */
async function open(user, device, extra = {}) {
  const name = `${user}/${device}`;
  const d = devices.get(name) ?? { name, messages: [], removed: [], errors: [], joined: [], sent: [] };
  const client = await MlsClient.open({
    server: ds.url, user, device, build, keyPackages: 3, lowWater: 1,
    storage: await directoryStorage(join(home, user, device)), ...extra,
  });
  client.on('message', (m) => d.messages.push(m));
  client.on('removed', (r) => d.removed.push(r.group));
  client.on('joined', (j) => d.joined.push(j.group));
  client.on('sent', (x) => d.sent.push(x));
  client.on('error', (e) => d.errors.push(e));
  d.client = client;
  devices.set(name, d);
  return d;
}

async function until(what, check) {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `promise`, or a failure after WAIT_MS. */
function within(what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting until ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const texts = (d, group) => d.messages.filter((m) => m.group === group).map((m) => m.text);

let alice, bobPhone, bobTablet, carol, group;

test(`three users, four devices sign up and chat (${build} build)`, async () => {
  alice = await open('alice', 'laptop');
  bobPhone = await open('bob', 'phone');
  carol = await open('carol', 'laptop');
  await within('three devices are signed in', Promise.all([alice, bobPhone, carol].map((d) => d.client.ready())));
  bobTablet = await open('bob', 'tablet', { linkTicket: (await bobPhone.client.linkTicket('tablet')).ticket });
  await within('bob\'s tablet is signed in', bobTablet.client.ready());

  group = await within('the group exists', alice.client.createGroup());
  assert.match(group, /^[0-9a-f]{32}$/);
  // ready() means the DS holds the device's KeyPackages: an invite right after it finds them.
  await alice.client.invite(group, 'bob');
  await alice.client.invite(group, 'carol');
  await until('everyone joined', () => [bobPhone, bobTablet, carol].every((d) => d.joined.includes(group)));
  const members = await alice.client.members(group);
  assert.deepEqual(members.map((m) => `${m.user}/${m.device}`).sort(),
    ['alice/laptop', 'bob/phone', 'bob/tablet', 'carol/laptop']);

  await alice.client.send(group, 'hello from alice');
  await until('both of bob\'s devices and carol have it',
    () => [bobPhone, bobTablet, carol].every((d) => texts(d, group).includes('hello from alice')));
  const m = bobTablet.messages.find((x) => x.text === 'hello from alice');
  assert.equal(m.user, 'alice');
  assert.equal(m.device, 'laptop');
  await carol.client.send(group, new TextEncoder().encode('hi from carol'));
  await until('everyone else has carol\'s', () => [alice, bobPhone, bobTablet].every((d) => texts(d, group).includes('hi from carol')));
  assert.ok(!texts(carol, group).includes('hi from carol'), 'own messages are not delivered back');
  const numbers = await Promise.all([alice, bobPhone, bobTablet, carol].map((d) => d.client.safetyNumber(group)));
  assert.equal(new Set(numbers).size, 1, `one safety number: ${numbers}`);
  assert.match(numbers[0], /^(\d{5} ){7}\d{5}$/);
  // Media keys for a call: every member derives the same secret of the same epoch, each with its own leaf.
  const keys = await Promise.all([alice, bobPhone, carol].map((d) => clientEpochKeys(d.client, group)));
  assert.equal(new Set(keys.map((k) => toHexString(k.baseKey))).size, 1, 'one base key');
  assert.equal(keys[0].baseKey.length, 16);
  assert.equal(new Set(keys.map((k) => k.epoch)).size, 1);
  assert.equal(new Set(keys.map((k) => k.myLeaf)).size, 3, 'each its own leaf');
  assert.deepEqual([...keys[0].memberLeaves].sort(), [...keys[2].memberLeaves].sort());
  assert.ok(keys.every((k) => k.memberLeaves.includes(k.myLeaf)));
  const other = await alice.client.exportSecret(group, 'another label', 'ctx', 32);
  assert.notEqual(toHexString(other.secret), toHexString(keys[0].baseKey), 'the label matters');
  await assert.rejects(clientEpochKeys(alice.client, 'ab'.repeat(16)), (e) => e.code === 'INVALID_STATE');
  await assert.rejects(alice.client.exportSecret(group, 'x', 5, 16), (e) => e.code === 'INVALID_ARGUMENT');
});

function toHexString(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

test('a client restarted from its storage directory resumes', async () => {
  const before = await carol.client.group(group);
  await carol.client.close();
  const files = await readdir(join(home, 'carol', 'laptop'));
  assert.ok(files.includes('.storage-key') && files.some((f) => f.endsWith('.bin')), files.join(' '));
  await alice.client.send(group, 'while carol was away');
  const again = await open('carol', 'laptop');
  const restored = await again.client.group(group);
  assert.equal(restored.epoch, before.epoch);
  assert.equal(restored.safetyNumber, before.safetyNumber);
  await within('carol is signed in again', again.client.ready());
  await until('carol gets what was sent while she was away', () => texts(again, group).includes('while carol was away'));
  await again.client.send(group, 'carol is back');
  await until('alice has it', () => texts(alice, group).includes('carol is back'));
  const seen = texts(again, group);
  assert.equal(seen.filter((t) => t === 'hello from alice').length, 1, 'nothing delivered twice across the restart');
});

test('two members update at once: one epoch authenticator, no message lost', async () => {
  const start = (await alice.client.group(group)).epoch;
  await Promise.all([bobPhone.client.update(group), carol.client.update(group), alice.client.send(group, 'during the race')]);
  const all = [alice, bobPhone, bobTablet, carol];
  await until('both updates are in and everyone agrees', async () => {
    const states = await Promise.all(all.map((d) => d.client.group(group)));
    return states.every((s) => s.epoch >= start + 2 && s.pendingIntents === 0)
      && new Set(states.map((s) => s.safetyNumber)).size === 1 && new Set(states.map((s) => s.epoch)).size === 1;
  });
  await until('the message sent during the race reached everyone',
    () => [bobPhone, bobTablet, carol].every((d) => texts(d, group).includes('during the race')));
  for (const d of all) assert.deepEqual(d.errors, [], `${d.name} had no errors`);
});

test('the DS restarts: clients reconnect, resume from their cursor and send what waited', async () => {
  await ds.pause();
  await bobPhone.client.send(group, 'sent while the DS was down');
  await new Promise((r) => setTimeout(r, 1500)); // a few failed attempts, sockets closed
  await ds.resume();
  await until('everyone has it after the restart',
    () => [alice, bobTablet, carol].every((d) => texts(d, group).includes('sent while the DS was down')));
  await until("bob's phone hears that the DS has its message, with the text it sent",
    () => bobPhone.sent.some((x) => x.group === group && x.text === 'sent while the DS was down' && x.seq > 0));
  await alice.client.send(group, 'after the restart');
  await until('and new messages flow', () => [bobPhone, bobTablet, carol].every((d) => texts(d, group).includes('after the restart')));
  for (const d of [alice, bobTablet, carol]) {
    assert.equal(texts(d, group).filter((t) => t === 'sent while the DS was down').length, 1, `${d.name} got it once`);
  }
});

test('a removed user sees the removal and nothing after it', async () => {
  await alice.client.remove(group, 'carol');
  await until('carol sees her removal', () => carol.removed.includes(group));
  await until('alice sees three devices', async () => (await alice.client.members(group)).length === 3);
  await alice.client.send(group, 'after carol left');
  await until('bob\'s devices have it', () => [bobPhone, bobTablet].every((d) => texts(d, group).includes('after carol left')));
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!texts(carol, group).includes('after carol left'));
  assert.deepEqual((await carol.client.groups()).map((g) => g.group), []);
});

test('the DS database holds none of the plaintexts', async () => {
  const files = (await readdir(ds.dir)).filter((f) => f.startsWith('ds.sqlite'));
  const bytes = Buffer.concat(await Promise.all(files.map((f) => readFile(join(ds.dir, f)))));
  for (const t of ['hello from alice', 'hi from carol', 'during the race', 'after carol left']) {
    assert.equal(bytes.indexOf(t), -1, `"${t}" is not in the DS database`);
  }
});

test('client state on disk is sealed: no plaintext of the device record', async () => {
  const dir = join(home, 'alice', 'laptop');
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.bin'))) {
    const b = await readFile(join(dir, f));
    assert.equal(b[0], 1, 'version byte of sealed state');
    assert.equal(b.indexOf('alice/laptop'), -1, `${f} does not show the credential in clear`);
  }
});

test('worker mode: the same API with the engine in a worker', async () => {
  const dir = join(home, 'dave', 'web');
  // Node has no Web Worker: a worker_threads worker serves the client as mlskit/client/worker does.
  const startWorker = () => {
    const w = new Worker(new URL('./node-worker.mjs', import.meta.url), { workerData: { dir } });
    return {
      postMessage: (m) => w.postMessage(m),
      set onmessage(f) {
        w.on('message', (data) => f({ data }));
      },
      terminate: () => w.terminate(),
    };
  };
  const dave = await MlsClient.open({ server: ds.url, user: 'dave', device: 'web', build, keyPackages: 3, worker: startWorker });
  devices.set('dave/web', { client: dave });
  assert.ok(!(dave instanceof MlsClient), 'a proxy of the client in the worker');
  const got = [];
  const joined = new Promise((resolve) => dave.on('joined', (j) => resolve(j.group)));
  const errors = [];
  dave.on('message', (m) => got.push(m.text));
  dave.on('error', (e) => errors.push(e));
  await within('dave is signed in', dave.ready());
  await alice.client.invite(group, 'dave');
  assert.equal(await within(`dave joined (errors: ${JSON.stringify(errors)})`, joined), group);
  await alice.client.send(group, 'hello dave');
  await until('dave has it through the worker', () => got.includes('hello dave'));
  await dave.send(group, 'hi from the worker');
  await until('alice has dave\'s', () => texts(alice, group).includes('hi from the worker'));
  const g = await dave.group(group);
  assert.equal(g.safetyNumber, await alice.client.safetyNumber(group));
  const [fromWorker, fromPage] = await Promise.all([clientEpochKeys(dave, group), clientEpochKeys(alice.client, group)]);
  assert.equal(toHexString(fromWorker.baseKey), toHexString(fromPage.baseKey), 'the worker exports the same media key');
  await assert.rejects(dave.invite('zz', 'bob'), (e) => e.code === 'INVALID_ARGUMENT');
  await dave.close();
});

// Node 24 runs TypeScript as is: the documented example, against the same DS.
if (typeof process.features?.typescript === 'string' || Number(process.versions.node.split('.')[0]) >= 24) {
  test('examples/chat-client.ts runs against the DS', async () => {
    const { chat } = await import('./chat-client.ts');
    assert.deepEqual(await within('the example is done', chat(ds.url, join(home, 'example'))), ['ana/laptop: hello ben']);
  });
}
