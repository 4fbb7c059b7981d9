// mlskit/client: a messaging client for one device against the mlskit delivery service. The
// protocol (sign-in, KeyPackages, commits and their races, ordering, resync) is the Java engine
// of the native layer; this module moves its bytes: HTTP and the mailbox WebSocket
// (transport.js), the state (storage.js, idb-storage.js, node.js) and its timers (host.js).
import { init, _nativeLayer } from '../index.js';
import { MlsError, toMlsError } from '../errors.js';
import { fromHex, fromUtf8, toHex, utf8, view } from './bytes.js';
import { EngineHost } from './host.js';
import { indexedDbStorage } from './idb-storage.js';
import { Transport } from './transport.js';
import { Listeners } from './listeners.js';

export { memoryStorage, sealedStorage, generateStorageKey } from './storage.js';
export { indexedDbStorage };

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const NOTHING = Object.freeze({ calls: [], events: [], persist: { keys: [], values: [] }, wakeAt: -1 });

function invalid(message) {
  return new MlsError('INVALID_ARGUMENT', message);
}

function checkName(v, what) {
  if (typeof v !== 'string' || !NAME.test(v)) throw invalid(`${what} must be 1-64 of A-Z a-z 0-9 . _ -`);
  return v;
}

function groupBytes(group) {
  const b = fromHex(group);
  if (b === null || b.length === 0) throw invalid('group must be a group id (hex) from createGroup() or groups()');
  return b;
}

function splitName(identity) {
  const i = identity.indexOf('/');
  return i < 0 ? { user: identity, device: '' } : { user: identity.slice(0, i), device: identity.slice(i + 1) };
}

/**
 * A safety number from an epoch authenticator: 8 groups of 5 digits (each a 4-byte big-endian
 * chunk mod 100000), the same on every member in the same epoch; compared out of band.
 */
export function safetyNumberOf(authenticator) {
  const groups = [];
  for (let i = 0; i + 4 <= Math.min(32, authenticator.length); i += 4) {
    const n = ((authenticator[i] << 24) >>> 0) + (authenticator[i + 1] << 16) + (authenticator[i + 2] << 8) + authenticator[i + 3];
    groups.push(String(n % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** The app's view of one engine event. */
function appEvent(ev) {
  const group = ev.groupId ? toHex(ev.groupId) : null;
  switch (ev.kind) {
    case 'READY':
      return ['ready', {}];
    case 'JOINED':
      return ['joined', { group }];
    case 'MESSAGE': {
      const { user, device } = splitName(ev.sender ?? '');
      return ['message', { group, user, device, data: ev.data, text: fromUtf8(ev.data), epoch: ev.epoch, seq: ev.seq }];
    }
    case 'MEMBERS':
      return ['members', { group, epoch: ev.epoch, members: ev.members.map(splitName) }];
    case 'EPOCH':
      return ['epoch', { group, epoch: ev.epoch, authenticator: ev.data, safetyNumber: safetyNumberOf(ev.data) }];
    case 'REMOVED':
      return ['removed', { group }];
    case 'SENT':
      // data: the message as sent (absent for a leave), so an app can put its own line in place.
      return ['sent', ev.data ? { group, seq: ev.seq, data: ev.data, text: fromUtf8(ev.data) } : { group, seq: ev.seq }];
    case 'ERROR':
    default:
      return ['error', { group, code: ev.code ?? 'INTERNAL', message: ev.text ?? String(ev.kind) }];
  }
}

/**
 * One device's messaging client. Open it with `MlsClient.open(...)`; every method is async
 * (the same API runs the engine in a Web Worker with `{ worker: true }`).
 */
export class MlsClient {
  #host;
  #transport;
  #listeners = new Listeners();
  #creating = new Map();
  #ready;
  #readyResolve;
  #ownStorage = false;

  /** @internal use MlsClient.open */
  constructor(key) {
    if (key !== MlsClient.#key) throw new TypeError('use MlsClient.open()');
    this.#ready = new Promise((resolve) => {
      this.#readyResolve = resolve;
    });
  }

  static #key = Symbol('MlsClient');

  /**
   * Opens the client of `user`/`device` at the DS `server`: restores it from `storage` when that
   * holds a saved device, else makes a new device (a fresh signature key) and registers it.
   * Resolves once its state is loaded and sign-in has begun; `ready()` resolves once signed in.
   */
  static async open(options) {
    if (options === null || typeof options !== 'object') throw invalid('options must be an object');
    const { server, build = 'auto', cipherSuite = 1, keyPackages, lowWater } = options;
    if (typeof server !== 'string' || !/^https?:\/\//.test(server)) throw invalid('server must be an http(s) URL');
    const user = checkName(options.user, 'user');
    const device = checkName(options.device, 'device');
    if (options.worker) {
      const { openInWorker } = await import('./remote.js');
      return openInWorker(options);
    }
    if (!Number.isInteger(cipherSuite)) throw invalid('cipherSuite must be an integer');
    if (keyPackages !== undefined && (!Number.isInteger(keyPackages) || keyPackages < 1 || keyPackages > 1000)) {
      throw invalid('keyPackages must be an integer in 1..1000');
    }
    const low = lowWater ?? Math.max(1, Math.floor((keyPackages ?? 20) / 2));
    if (!Number.isInteger(low) || low < 0) throw invalid('lowWater must be a non-negative integer');
    const config = keyPackages === undefined ? {} : { keyPackages, lowWater: low };
    if (options.linkTicket !== undefined) {
      if (typeof options.linkTicket !== 'string' || options.linkTicket.trim() === '') {
        throw invalid('linkTicket must be the ticket another device of this user got from linkTicket(device)');
      }
      config.linkTicket = options.linkTicket.trim();
    }
    await init({ build });
    const native = _nativeLayer();
    const ownStorage = options.storage === undefined || options.storage === null;
    const storage = ownStorage
      ? await indexedDbStorage({ name: options.storageName ?? `mlskit-client/${user}/${device}`, encrypt: options.encrypt ?? true })
      : options.storage;
    for (const m of ['get', 'put', 'delete', 'keys']) {
      if (typeof storage[m] !== 'function') throw invalid(`storage.${m} must be a function`);
    }
    const keys = await storage.keys();
    let handle;
    try {
      if (keys.length === 0) {
        handle = native.engineCreate(user, device, cipherSuite, config);
      } else {
        const values = [];
        for (const k of keys) values.push(view(await storage.get(k)));
        handle = native.engineRestore(keys, values, config);
        const info = native.engineInfo(handle);
        if (info.user !== user || info.device !== device) {
          native.free(handle);
          throw new MlsError('INVALID_STATE', `this storage holds ${info.user}/${info.device}, not ${user}/${device}`);
        }
      }
    } catch (e) {
      throw toMlsError(e);
    }
    const client = new MlsClient(MlsClient.#key);
    client.#ownStorage = ownStorage;
    const transport = new Transport(server, { fetch: options.fetch, WebSocket: options.WebSocket });
    client.#transport = transport;
    client.#host = new EngineHost(native, handle, transport, storage, (ev) => client.#event(ev), (e) => {
      client.#emit('error', { group: null, code: e.code ?? 'INTERNAL', message: e.message });
    });
    await client.#host.step((n, h, now) => n.engineStart(h, now));
    return client;
  }

  /** Listens to 'ready', 'joined', 'message', 'members', 'epoch', 'removed', 'error' or 'sent'. */
  on(event, listener) {
    this.#listeners.on(event, listener);
    return this;
  }

  off(event, listener) {
    this.#listeners.off(event, listener);
    return this;
  }

  #emit(name, detail) {
    this.#listeners.emit(name, detail);
  }

  #event(ev) {
    const [name, detail] = appEvent(ev);
    if (name === 'ready') {
      // The engine's READY: signed in and the DS holds this device's KeyPackages, so others can invite it.
      this.#readyResolve();
    }
    if (detail.group !== null && this.#creating.has(detail.group) && (name === 'joined' || name === 'error')) {
      const { resolve, reject } = this.#creating.get(detail.group);
      this.#creating.delete(detail.group);
      if (name === 'joined') resolve(detail.group);
      else reject(new MlsError(detail.code, detail.message));
    }
    this.#emit(name, detail);
  }

  /**
   * Resolves once the device is signed in at the DS (registered on its first start) and the DS
   * holds its KeyPackages, so that others can invite it.
   */
  ready() {
    return this.#ready;
  }

  /** Runs an intent; rejects with its error when the engine refuses it at once (e.g. NOT_FOUND). */
  async #intent(fn) {
    let refusal = null;
    await this.#host.step(fn, (out) => {
      const e = out.events.find((ev) => ev.kind === 'ERROR');
      if (e) refusal = new MlsError(e.code, e.text);
    });
    if (refusal) throw refusal;
  }

  /** Creates a group with this device as its only member; resolves to its id once the DS has it. */
  async createGroup() {
    await this.#ready;
    for (;;) {
      let done = null;
      // The engine names the group in its CREATE_GROUP call, which it issues at once only while it
      // holds a token: in a re-authentication window, wait and try again.
      await this.#host.step((n, h, now) => (n.engineInfo(h).token === null ? NOTHING : n.engineCreateGroup(h, now)), (out) => {
        const c = out.calls.find((x) => x.kind === 'CREATE_GROUP');
        if (!c) return;
        const group = toHex(c.groupId);
        done = new Promise((resolve, reject) => this.#creating.set(group, { resolve, reject }));
      });
      if (done) return done;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Adds every device of `user` to `group` (one commit). Resolves when the intent is saved; it
   * is carried out (and re-applied after a lost race) when the DS is reachable: watch 'members'.
   */
  async invite(group, user) {
    const g = groupBytes(group);
    checkName(user, 'user');
    return this.#intent((n, h, now) => n.engineInvite(h, now, view(g), user));
  }

  /** Removes every device of `user` from `group` (one commit). */
  async remove(group, user) {
    const g = groupBytes(group);
    checkName(user, 'user');
    return this.#intent((n, h, now) => n.engineRemoveUser(h, now, view(g), user));
  }

  /** Leaves `group` (a SelfRemove proposal another member commits; then 'removed'). */
  async leave(group) {
    const g = groupBytes(group);
    return this.#intent((n, h, now) => n.engineLeave(h, now, view(g)));
  }

  /** Updates this device's leaf in `group` (post-compromise security). */
  async update(group) {
    const g = groupBytes(group);
    return this.#intent((n, h, now) => n.engineUpdate(h, now, view(g)));
  }

  /** Sends a text (UTF-8) or bytes to `group`; resolves when it is saved to be sent ('sent' once the DS has it). */
  async send(group, message) {
    const g = groupBytes(group);
    let data;
    if (typeof message === 'string') data = utf8(message);
    else if (message instanceof Uint8Array) data = message;
    else throw invalid('message must be a string or a Uint8Array');
    return this.#intent((n, h, now) => n.engineSend(h, now, view(g), view(data)));
  }

  /** This device: {user, device, ready, cursor}. */
  info() {
    return this.#host.read((n, h) => {
      const { user, device, ready, cursor } = n.engineInfo(h);
      return { user, device, ready, cursor };
    });
  }

  /**
   * A ticket that lets a new device of this user register: open it with
   * `MlsClient.open({ user, device, linkTicket })` within 10 minutes. Resolves to
   * {user, device, ticket, expiresAt}; the ticket is 24 letters and digits, easy to type.
   */
  async linkTicket(device) {
    checkName(device, 'device');
    const token = await this.#host.read((n, h) => n.engineInfo(h).token);
    if (token === null) throw new MlsError('INVALID_STATE', 'not signed in yet: await ready() first');
    return this.#transport.linkTicket(token, device);
  }

  /** The groups this device is in: [{group, epoch, members, safetyNumber}]. */
  groups() {
    return this.#host.read((n, h) => Array.from(n.engineGroups(h), (id) => describe(n.engineGroup(h, view(id)))));
  }

  /** One group's state, or null when this device is not in it. */
  async group(group) {
    const g = groupBytes(group);
    return this.#host.read((n, h) => {
      const r = n.engineGroup(h, view(g));
      return r === null ? null : describe(r);
    });
  }

  /** The members of `group`: [{user, device, leaf}] ([] when this device is not in it). */
  async members(group) {
    return (await this.group(group))?.members ?? [];
  }

  /** The safety number of `group`'s current epoch (null when this device is not in it). */
  async safetyNumber(group) {
    return (await this.group(group))?.safetyNumber ?? null;
  }

  /**
   * MLS-Exporter(label, context, length) of `group`'s current epoch (RFC 9420 §8.5), with that
   * epoch's leaves: {epoch, secret, myLeaf, memberLeaves}, read in one step so they belong
   * together; null when this device is not in the group. mlskit/call's clientEpochKeys uses it.
   */
  async exportSecret(group, label, context, length) {
    const g = groupBytes(group);
    if (typeof label !== 'string') throw invalid('label must be a string');
    const ctx = typeof context === 'string' ? new TextEncoder().encode(context) : context;
    if (!(ctx instanceof Uint8Array)) throw invalid('context must be a string or a Uint8Array');
    if (!Number.isInteger(length) || length < 1 || length > 255 * 64) throw invalid('length must be a positive integer');
    return this.#host.read((n, h) => {
      const r = n.engineExportSecret(h, view(g), label, view(ctx), length);
      return r === null ? null : { epoch: r.epoch, secret: new Uint8Array(r.secret), myLeaf: r.myLeaf, memberLeaves: Array.from(r.memberLeaves) };
    });
  }

  /** Stops the client: the socket closes, requests are dropped, the state stays in storage. */
  async close() {
    const host = this.#host;
    await host.close();
    try {
      host.native.free(host.handle);
    } catch {
      // already freed
    }
    for (const { reject } of this.#creating.values()) reject(new MlsError('INVALID_STATE', 'the client was closed'));
    this.#creating.clear();
    if (this.#ownStorage) await host.storage.close?.();
  }
}

function describe(g) {
  return {
    group: toHex(g.groupId),
    epoch: g.epoch,
    members: Array.from(g.members, (m) => ({ ...splitName(m.identity), leaf: m.leaf })),
    epochAuthenticator: g.epochAuthenticator,
    safetyNumber: safetyNumberOf(g.epochAuthenticator),
    pendingIntents: g.pendingIntents,
  };
}
