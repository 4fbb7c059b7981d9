// The page side of ClientBench (e2e-tests): one mlskit/client device driven through its public
// API only, as an app would use it. In page mode the options an app may pass (storage, fetch,
// WebSocket) are thin timing wrappers, which is how the bench splits a message's time into
// persistence, the DS round trip and the rest (engine and crypto). Times are performance.now()
// ms; `wall()` is comparable across pages (send-to-render).
import { init } from 'mlskit';
import { MlsClient, generateStorageKey, indexedDbStorage, memoryStorage, sealedStorage } from 'mlskit/client';

const now = () => performance.now();
export const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sum = (xs) => xs.reduce((s, x) => s + x, 0);

let client = null;
let storage = null;
const trace = { applies: [], fetches: [], frames: [] };
let writing = 0;
const events = { sent: [], members: new Map(), epochs: new Map(), messages: new Map(), joined: [], errors: [] };
const waiters = [];

function notify() {
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (waiters[i].test()) {
      waiters[i].resolve();
      waiters.splice(i, 1);
    }
  }
}

/** Resolves once test() holds (checked at every event and write), rejects after ms. */
function until(test, ms, what) {
  if (test()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const w = { test, resolve };
    waiters.push(w);
    setTimeout(() => {
      const i = waiters.indexOf(w);
      if (i >= 0) {
        waiters.splice(i, 1);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}; errors: ${JSON.stringify(events.errors)}`));
      }
    }, ms);
  });
}

/** The storage an app passes, with each step's write timed (sealing included for IndexedDB). */
function timed(inner) {
  const record = async (n, bytes, write) => {
    const start = now();
    writing++;
    try {
      await write();
    } finally {
      writing--;
      trace.applies.push({ start, end: now(), n, bytes });
      notify();
    }
  };
  return {
    get: (k) => inner.get(k),
    keys: () => inner.keys(),
    put: (k, b) => record(1, b.length, () => inner.put(k, b)),
    delete: (k) => record(1, 0, () => inner.delete(k)),
    apply: (changes) => record(changes.length, sum(changes.map(([, b]) => (b ? b.length : 0))), async () => {
      if (typeof inner.apply === 'function') return inner.apply(changes);
      for (const [k, b] of changes) {
        if (b === null) await inner.delete(k);
        else await inner.put(k, b);
      }
      return undefined;
    }),
    close: () => inner.close?.(),
  };
}

async function timedFetch(url, options) {
  const start = now();
  try {
    return await fetch(url, options);
  } finally {
    trace.fetches.push({ start, end: now(), path: new URL(url, location.href).pathname });
  }
}

/** The mailbox socket with each frame's arrival time (parsed later, off the measured path). */
class TimedWebSocket extends WebSocket {
  set onmessage(fn) {
    super.onmessage = typeof fn !== 'function' ? fn : (m) => {
      trace.frames.push({ t: now(), data: m.data, seqs: null });
      fn(m);
    };
  }

  get onmessage() {
    return super.onmessage;
  }
}

function frameOf(seq) {
  for (let i = trace.frames.length - 1; i >= 0; i--) {
    const f = trace.frames[i];
    if (f.seqs === null) {
      try {
        const j = JSON.parse(typeof f.data === 'string' ? f.data : new TextDecoder().decode(f.data));
        f.seqs = j.type === 'entries' ? j.entries.map((e) => Number(e.seq)) : [];
      } catch {
        f.seqs = [];
      }
      f.data = null;
    }
    if (f.seqs.includes(seq)) return f;
  }
  return null;
}

/** The time covered by the union of intervals {start, end}. */
function covered(intervals) {
  const xs = intervals.map((i) => [i.start, i.end]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of xs) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

const list = () => document.getElementById('messages');

function listen(c) {
  c.on('message', (d) => {
    const t = now();
    const rec = { t, wall: wall(), seq: d.seq, from: `${d.user}/${d.device}`, domWall: 0, frameWall: 0 };
    events.messages.set(d.text, rec);
    // Rendered as a chat app would; the next animation frame is when it can be painted.
    const div = document.createElement('div');
    div.className = 'msg';
    div.textContent = `${d.user}/${d.device}: ${d.text}`;
    list().append(div);
    rec.domWall = wall();
    requestAnimationFrame(() => {
      rec.frameWall = wall();
      notify();
    });
    notify();
  });
  c.on('sent', (d) => {
    events.sent.push({ t: now(), seq: d.seq, text: d.text });
    notify();
  });
  c.on('members', (d) => {
    events.members.set(d.group, d.members.length);
    notify();
  });
  c.on('epoch', (d) => {
    events.epochs.set(d.group, { epoch: d.epoch, t: now() });
    notify();
  });
  c.on('joined', (d) => {
    events.joined.push(d.group);
    notify();
  });
  c.on('error', (d) => {
    events.errors.push(d);
    console.error(`mlskit client error ${d.code}: ${d.message}`);
    notify();
  });
}

/** init() alone: loading and instantiating the build. */
export async function initBuild(build) {
  const t0 = now();
  const got = await init({ build });
  return { ms: now() - t0, build: got };
}

/**
 * The storages compared: 'idb' is what a browser app gets by default (IndexedDB, values sealed
 * with AES-GCM under a non-extractable key); 'idb-plain' the same without sealing; 'sealed-memory'
 * sealing without IndexedDB; 'memory' neither.
 */
async function makeStorage(store, name) {
  switch (store) {
    case 'idb':
      return indexedDbStorage({ name });
    case 'idb-plain':
      return indexedDbStorage({ name, encrypt: false });
    case 'sealed-memory':
      return sealedStorage(memoryStorage(), await generateStorageKey());
    case 'memory':
      return memoryStorage();
    default:
      throw new Error(`unknown store ${store}`);
  }
}

/**
 * Opens the device. store: see makeStorage; worker:
 * the engine in a module worker (then it makes its own sealed IndexedDB, untimed).
 */
export async function open({ server, user, device, build, worker = false, store = 'idb', name }) {
  const t0 = now();
  if (worker) {
    client = await MlsClient.open({ server, user, device, build, worker: true, storageName: name });
  } else {
    storage = await makeStorage(store, name);
    client = await MlsClient.open({ server, user, device, build, storage: timed(storage), fetch: timedFetch,
      WebSocket: TimedWebSocket });
  }
  const opened = now();
  listen(client);
  await client.ready();
  return { openMs: opened - t0, readyMs: now() - t0 };
}

export async function close() {
  await client?.close();
  await storage?.close?.();
  client = null;
  storage = null;
}

export function createGroup() {
  return client.createGroup();
}

export async function groups() {
  return (await client.groups()).length;
}

export function invite(group, user) {
  return client.invite(group, user);
}

export function memberCount(group) {
  return events.members.get(group) ?? 0;
}

export function errors() {
  return events.errors.map((e) => `${e.code}: ${e.message}`);
}

export async function awaitMembers(group, n, ms) {
  await until(() => (events.members.get(group) ?? 0) === n, ms, `${n} members in ${group}`);
  return client.members(group).then((m) => m.length);
}

export async function awaitJoined(ms) {
  await until(() => events.joined.length > 0, ms, 'a group joined');
  return events.joined[events.joined.length - 1];
}

/** Waits until no write is running and none started for `quietMs` (echoes, acks done). */
export async function settle(quietMs = 40) {
  for (;;) {
    const n = trace.applies.length;
    await sleep(quietMs);
    await until(() => writing === 0, 60_000, 'writes to finish');
    if (trace.applies.length === n) return;
  }
}

/**
 * One durable message: from send() until its 'sent' event (persisted, accepted by the DS,
 * persisted again). Split: writes (sealing and IndexedDB), the POST .../messages round trip,
 * and the rest (the engine's steps: encryption, encoding, events). Then waits for its echo.
 */
export async function sendTimed(group, text) {
  const a0 = trace.applies.length;
  const f0 = trace.fetches.length;
  const sent = () => events.sent.find((s) => s.text === text);
  const t0 = now();
  const done = until(() => sent() !== undefined, 60_000, `'sent' for ${text}`);
  await client.send(group, text);
  const saved = now() - t0;
  await done;
  const s = sent();
  const applies = trace.applies.slice(a0).filter((a) => a.start >= t0 && a.end <= s.t);
  const ds = trace.fetches.slice(f0).filter((f) => f.start >= t0 && f.end <= s.t && f.path.endsWith('/messages'));
  const total = s.t - t0;
  // The echo of the message may arrive (and be written) while the POST is still awaited: the
  // split counts time covered by writes, by the round trip, and the rest (no double counting).
  const persist = covered(applies);
  const rtt = covered(ds);
  const rest = total - covered([...applies, ...ds]);
  // The echo of our own message comes back through the mailbox; let it be processed first.
  await until(() => frameOf(s.seq) !== null, 30_000, `the echo of ${s.seq}`);
  await settle();
  return { total, saved, persist, ds: rtt, engine: rest, writes: applies.length, keys: sum(applies.map((a) => a.n)),
    bytes: sum(applies.map((a) => a.bytes)), seq: s.seq };
}

/**
 * The receive side of one message: from its mailbox frame's arrival until the 'message' event
 * (emitted only after the step's state is written).
 */
export async function awaitReceived(text, ms) {
  await until(() => events.messages.has(text), ms, `message ${text}`);
  const m = events.messages.get(text);
  const f = frameOf(m.seq);
  if (f === null) throw new Error(`no mailbox frame held seq ${m.seq}`);
  const applies = trace.applies.filter((a) => a.start >= f.t && a.end <= m.t);
  const persist = covered(applies);
  await settle();
  return { total: m.t - f.t, persist, engine: m.t - f.t - persist, writes: applies.length, keys: sum(applies.map((a) => a.n)),
    bytes: sum(applies.map((a) => a.bytes)), from: m.from };
}

/** Send-to-render, sender side: starts a send, returns its wall-clock start. */
export function sendMark(group, text) {
  const t = wall();
  client.send(group, text).catch((e) => events.errors.push({ code: e.code ?? 'INTERNAL', message: String(e) }));
  return t;
}

export async function awaitSent(text, ms) {
  await until(() => events.sent.some((s) => s.text === text), ms, `'sent' for ${text}`);
  await settle();
}

/** Send-to-render, receiver side: when the message was in the DOM, and the next frame after. */
export async function awaitRendered(text, ms) {
  await until(() => (events.messages.get(text)?.frameWall ?? 0) > 0, ms, `render of ${text}`);
  const m = events.messages.get(text);
  const shown = [...list().querySelectorAll('.msg')].some((d) => d.textContent.endsWith(`: ${text}`));
  return { dom: m.domWall, frame: m.frameWall, shown, from: m.from };
}

/**
 * One commit in `group` (op: update, remove or invite of `user`) while watching the main thread:
 * long tasks (PerformanceObserver 'longtask', 50 ms and over) and the largest gap of a 4 ms
 * timer loop. Ends at the 'epoch' event of the new epoch.
 */
export async function commitWatched(group, op, user) {
  const longtasks = [];
  const po = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) longtasks.push(e.duration);
  });
  po.observe({ type: 'longtask', buffered: false });
  let running = true;
  let last = now();
  let maxGap = 0;
  const loop = () => {
    const t = now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
    if (running) setTimeout(loop, 0);
  };
  setTimeout(loop, 0);
  await sleep(50);
  maxGap = 0;
  const before = events.epochs.get(group)?.epoch ?? -1;
  const t0 = now();
  if (op === 'update') await client.update(group);
  else if (op === 'remove') await client.remove(group, user);
  else await client.invite(group, user);
  await until(() => (events.epochs.get(group)?.epoch ?? -1) > before, 120_000, `the epoch after ${op}`);
  const ms = events.epochs.get(group).t - t0;
  await sleep(100); // tasks right after the event (other members' echoes, acks) count too
  running = false;
  po.takeRecords().forEach((e) => longtasks.push(e.duration));
  po.disconnect();
  return { ms, longest: longtasks.length ? Math.max(...longtasks) : 0, longtasks: longtasks.length, maxGap,
    members: events.members.get(group) ?? 0 };
}

/**
 * Where a write's time goes, below mlskit/client: `n` IndexedDB readwrite transactions of one
 * `size`-byte value each, per durability hint (what the browser does on commit), and `n` AES-GCM
 * seals of the same value through WebCrypto (what sealing adds). p50 ms of each.
 */
export async function storageProbe(n, size) {
  const p50 = (xs) => xs.sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1];
  const value = crypto.getRandomValues(new Uint8Array(size));
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('bench/probe', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('s');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const out = {};
  for (const durability of ['default', 'relaxed', 'strict']) {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = now();
      const t = db.transaction('s', 'readwrite', { durability });
      t.objectStore('s').put(value.slice(), `k${i % 8}`);
      await new Promise((resolve, reject) => {
        t.oncomplete = resolve;
        t.onerror = () => reject(t.error);
      });
      times.push(now() - t0);
    }
    out[durability] = p50(times);
  }
  db.close();
  const key = await generateStorageKey();
  const seals = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) }, key, value);
    seals.push(now() - t0);
  }
  out.seal = p50(seals);
  return out;
}
