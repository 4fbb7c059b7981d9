// MmlsSession: one participant of a Multi-MLS session (docs/multi-mls.md), the Java engine
// org.mlskit.distributed.MultiSession held by handle. Sans-I/O and synchronous: every call returns
// a step {entries, events} whose entries the caller publishes (MmlsPeer does that over a relay).
import { Client, MlsError, _nativeLayer, _call as call } from '../index.js';
import { sessionIdOf } from './wire.js';

const encoder = new TextEncoder();

function invalid(message) {
  return new MlsError('INVALID_ARGUMENT', message);
}


/** An Int8Array view: the form the native layer copies in bulk. */
function view(u) {
  return new Int8Array(u.buffer, u.byteOffset, u.byteLength);
}

function bytes(v, name) {
  if (v instanceof Uint8Array) return view(v);
  throw invalid(`${name} must be a Uint8Array`);
}

function bytesOrText(v, name) {
  return typeof v === 'string' ? view(encoder.encode(v)) : bytes(v, name);
}

function name(v, what) {
  if (typeof v === 'string' && v.length > 0) return v;
  throw invalid(`${what} must be a non-empty string`);
}

function u8(x) {
  return x instanceof Int8Array ? new Uint8Array(x.buffer, x.byteOffset, x.length) : x;
}

function policy(o) {
  if (o === null || typeof o !== 'object') throw invalid('options must be an object');
  const c = {};
  for (const k of ['followRemovals', 'removeEquivocators', 'commitBeforeSend']) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'boolean') throw invalid(`${k} must be a boolean`);
    c[k] = o[k];
  }
  if (o.exciseSilentAfter !== undefined) {
    const n = o.exciseSilentAfter;
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw invalid('exciseSilentAfter must be a number of epochs, 0 for never');
    c.exciseSilentAfter = n;
  }
  return c;
}

const TYPES = Object.freeze({
  MESSAGE: 'message', JOINED: 'joined', ROSTER_CHANGED: 'roster', REMOVED: 'removed', EXCISED: 'excised', WAITING: 'waiting',
  FORKED_DEPENDENCY: 'forkedDependency', EQUIVOCATION: 'equivocation', REJECTED: 'rejected',
});

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((h) => { try { _nativeLayer().free(h); } catch { /* not loaded */ } })
  : null;

/** One participant: its own send group and its views of the others'. */
export class MmlsSession {
  #handle;
  #keyPackages;

  /** @internal Use MmlsSession.create or MmlsSession.load. */
  constructor(handle, keyPackages) {
    this.#handle = handle;
    this.#keyPackages = keyPackages;
    registry?.register(this, handle, this);
  }

  /**
   * A new participant named by `client`'s basic credential (its identity is the participant id),
   * with `keyPackages` fresh KeyPackages, one for each other participant's send group.
   */
  static create(client, options = {}) {
    if (!(client instanceof Client)) throw invalid('client must be a Client');
    if (options === null || typeof options !== 'object') throw invalid('options must be an object');
    const sessionId = bytesOrText(options.sessionId, 'sessionId');
    const n = options.keyPackages ?? 0;
    if (!Number.isInteger(n) || n < 0 || n > 1024) throw invalid('keyPackages must be an integer from 0 to 1024');
    const r = call((x) => x.mmlsCreate(client.handle, sessionId, n, policy(options)));
    return new MmlsSession(r.handle, Object.freeze(r.keyPackages.map(u8)));
  }

  /** A session saved with save(); bytes that are not one are MALFORMED. */
  static load(state, options = {}) {
    const s = bytes(state, 'state');
    return new MmlsSession(call((x) => x.mmlsLoad(s, policy(options))), Object.freeze([]));
  }

  /** Whether the two entries of `evidence` alone prove that the holder of `authorKey` equivocated. */
  static verifyEquivocation(cipherSuite, authorKey, evidence) {
    if (!Number.isInteger(cipherSuite) || cipherSuite < 1 || cipherSuite > 0xffff) throw invalid('cipherSuite must be a suite id');
    if (evidence === null || typeof evidence !== 'object') throw invalid('evidence must be {kind, first, second}');
    const key = bytes(authorKey, 'authorKey');
    const a = bytes(evidence.first, 'evidence.first');
    const b = bytes(evidence.second, 'evidence.second');
    return call((x) => x.mmlsVerifyEquivocation(cipherSuite, key, String(evidence.kind), a, b));
  }

  get #h() {
    if (this.#handle === 0) throw new MlsError('INVALID_STATE', 'this MmlsSession was freed');
    return this.#handle;
  }

  /** The KeyPackages made by create(), one per other send group (MLSMessages); empty after load(). */
  get keyPackages() {
    return this.#keyPackages;
  }

  #info() {
    return call((x) => x.mmlsInfo(this.#h));
  }

  /** This participant's id (its credential's identity). */
  get id() { return this.#info().id; }
  get cipherSuite() { return this.#info().cipherSuite; }
  /** The session id given to create(). */
  get sessionId() { return sessionIdOf(this.groupId); }
  /** The id of this participant's own send group. */
  get groupId() { return u8(this.#info().groupId); }
  /** Whom this participant sends to: the other members of its send group. */
  get roster() { return this.#info().roster; }
  /** Owners of the send groups this participant is a member of. */
  get senders() { return this.#info().senders; }
  /** Authors caught equivocating. */
  get equivocators() { return this.#info().equivocators; }
  /** Whether proposals wait for this participant's next commit. */
  get pending() { return this.#info().pending; }

  #step(fn) {
    const r = call(fn);
    const events = r.events.map((e) => this.#event(e));
    return { entries: r.entries.map(u8), events, received: r.received };
  }

  #event(e) {
    const type = TYPES[e.kind] ?? e.kind;
    const out = { type, owner: e.owner, detail: e.detail };
    if (type === 'message') {
      out.sender = e.owner;
      out.data = u8(e.data);
    } else if (type === 'roster') {
      out.members = this.members(e.owner) ?? [];
    } else if (type === 'rejected') {
      out.code = e.code ?? null;
    } else if (type === 'equivocation') {
      const v = e.evidence;
      out.evidence = { kind: v.kind, author: v.author, first: u8(v.first), second: u8(v.second) };
    }
    return out;
  }

  /** INIT: adds the others to this participant's send group, with their KeyPackages for it. */
  start(keyPackages) {
    if (!Array.isArray(keyPackages)) throw invalid('keyPackages must be an array');
    const kps = keyPackages.map((k, i) => bytes(k, `keyPackages[${i}]`));
    return this.#step((x) => x.mmlsStart(this.#h, kps));
  }

  add(keyPackage) {
    const k = bytes(keyPackage, 'keyPackage');
    return this.#step((x) => x.mmlsAdd(this.#h, k));
  }

  remove(participant) {
    const p = name(participant, 'participant');
    return this.#step((x) => x.mmlsRemove(this.#h, p));
  }

  /** UPDATE: fresh keys in the own send group and an Update proposal in every other. */
  update() {
    return this.#step((x) => x.mmlsUpdate(this.#h));
  }

  /** COMMIT: commits pending proposals and imports the others' new epochs. */
  commit() {
    return this.#step((x) => x.mmlsCommit(this.#h));
  }

  /** PROTECT: an application message to the roster (a string is sent as UTF-8). */
  protect(data) {
    const d = bytesOrText(data, 'data');
    return this.#step((x) => x.mmlsProtect(this.#h, d));
  }

  /** One entry of anyone's log, in any order, duplicates welcome; not an entry: MALFORMED, nothing changes. */
  receive(entry) {
    const e = bytes(entry, 'entry');
    return this.#step((x) => x.mmlsReceive(this.#h, e));
  }

  /** The members (owner excluded) of `owner`'s send group as this participant sees it, or null. */
  members(owner) {
    const o = name(owner, 'owner');
    return call((x) => x.mmlsMembers(this.#h, o));
  }

  /** The epoch of `owner`'s send group here, or -1 when not a member. */
  epoch(owner) {
    const o = name(owner, 'owner');
    return call((x) => x.mmlsEpoch(this.#h, o));
  }

  /** The epoch authenticator of `owner`'s send group here, or null when not a member. */
  epochAuthenticator(owner) {
    const o = name(owner, 'owner');
    return u8(call((x) => x.mmlsEpochAuthenticator(this.#h, o))) ?? null;
  }

  /** MLS-Exporter(label, context, length) of `owner`'s send group's current epoch; not a member: UNKNOWN_MEMBER. */
  exportFrom(owner, label, context, length) {
    const o = name(owner, 'owner');
    if (typeof label !== 'string') throw invalid('label must be a string');
    const c = bytesOrText(context, 'context');
    if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw invalid('length must be an integer from 0 to 65535');
    return call((x) => x.mmlsExportFrom(this.#h, o, label, c, length));
  }

  /** The signature key of `author`'s log as known here, or null. */
  authorKey(author) {
    const a = name(author, 'author');
    return u8(call((x) => x.mmlsAuthorKey(this.#h, a))) ?? null;
  }

  /** What this session holds of every log, encoded: send it to peers for anti-entropy. */
  summary() {
    return call((x) => x.mmlsSummary(this.#h));
  }

  /** The entries a peer whose summary() is `summary` lacks; not a summary: MALFORMED. */
  missingFor(summary) {
    const s = bytes(summary, 'summary');
    return call((x) => x.mmlsMissingFor(this.#h, s)).map(u8);
  }

  /** The whole session, private keys included: keep it secret; save after every step before publishing. */
  save() {
    return call((x) => x.mmlsSave(this.#h));
  }

  /** Releases the Java object now; idempotent. */
  free() {
    if (this.#handle !== 0) {
      registry?.unregister(this);
      _nativeLayer().free(this.#handle);
      this.#handle = 0;
    }
  }
}
