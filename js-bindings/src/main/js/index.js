// mlskit: Messaging Layer Security (RFC 9420) for JavaScript. The classes here wrap Java objects
// of the native layer (wasm-gc or JS build) that they hold by handle; call free() when done, or
// let the garbage collector release them (FinalizationRegistry).
import { ErrorCode, MlsError, invalid, toMlsError } from './errors.js';
import { loadNative, wasmGcSupported } from './loader.js';

export { ErrorCode, MlsError, wasmGcSupported };

let native = null;
let loadedBuild = null;
let loading = null;

/**
 * Loads the native layer once: `build` 'auto' (default: wasm-gc where supported, else js),
 * 'wasm-gc' or 'js'. Resolves to the build in use.
 */
export async function init(options = {}) {
  const build = options.build ?? 'auto';
  if (loading === null) {
    loading = loadNative(build).then((r) => {
      native = r.native;
      loadedBuild = r.build;
      return r.build;
    }, (e) => {
      loading = null;
      throw toMlsError(e);
    });
  }
  const got = await loading;
  if (build !== 'auto' && build !== got) {
    throw new MlsError(ErrorCode.INVALID_STATE, `mlskit is already initialised with the ${got} build`);
  }
  return got;
}

/** The build in use ('wasm-gc' or 'js'), or null before init(). */
export function currentBuild() {
  return loadedBuild;
}

function lib() {
  if (native === null) throw new MlsError(ErrorCode.INVALID_STATE, 'call and await init() before using mlskit');
  return native;
}

/** @internal The loaded native layer, for mlskit's own submodules (mlskit/sframe); not public API. */
export function _nativeLayer() {
  return lib();
}

/** Calls the native layer; byte[] results (Int8Array) come back as Uint8Array. */
function call(fn) {
  const n = lib();
  try {
    const r = fn(n);
    return r instanceof Int8Array ? new Uint8Array(r.buffer, r.byteOffset, r.length) : r;
  } catch (e) {
    throw toMlsError(e);
  }
}

/** @internal `call` for mlskit's own submodules (mlskit/mmls); not public API. */
export const _call = call;

// ------------------------------------------------------------------ argument checks

const encoder = new TextEncoder();

/**
 * An Int8Array view of the same bytes: the form Java's byte[] takes fastest (the wasm-gc build
 * copies an Int8Array in bulk, other arrays element by element).
 */
function view(u) {
  return new Int8Array(u.buffer, u.byteOffset, u.byteLength);
}

function bytes(v, name) {
  if (v instanceof Uint8Array) return view(v);
  throw invalid(`${name} must be a Uint8Array`);
}

function optBytes(v, name) {
  return v === undefined || v === null ? new Int8Array(0) : bytes(v, name);
}

function bytesOrText(v, name) {
  return typeof v === 'string' ? view(encoder.encode(v)) : bytes(v, name);
}

function int(v, name, min = 0, max = 0x7fffffff) {
  if (Number.isInteger(v) && v >= min && v <= max) return v;
  throw invalid(`${name} must be an integer from ${min} to ${max}`);
}

function bool(v, name, dflt) {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  throw invalid(`${name} must be a boolean`);
}

function list(v, name, item) {
  if (!Array.isArray(v)) throw invalid(`${name} must be an array`);
  return v.map((x, i) => item(x, `${name}[${i}]`));
}

function extensionList(v, name = 'extensions') {
  return v === undefined ? [] : list(v, name, (e, n) => {
    if (e === null || typeof e !== 'object') throw invalid(`${n} must be {type, data}`);
    return { type: int(e.type, `${n}.type`, 0, 0xffff), data: bytes(e.data, `${n}.data`) };
  });
}

function keyPackageMessages(v) {
  const kps = Array.isArray(v) ? v : [v];
  return list(kps, 'keyPackages', (k, n) => bytes(k, n));
}

function pskEntries(v) {
  return v === undefined ? [] : list(v, 'externalPsks', (e, n) => {
    if (e === null || typeof e !== 'object') throw invalid(`${n} must be {id, secret}`);
    return { id: bytes(e.id, `${n}.id`), secret: bytes(e.secret, `${n}.secret`) };
  });
}

/** The local policy (GroupOptions) as the native layer reads it. */
function config(o = {}) {
  if (o === null || typeof o !== 'object') throw invalid('options must be an object');
  const c = { externalPsks: pskEntries(o.externalPsks) };
  if (o.retainedEpochs !== undefined) c.retainedEpochs = int(o.retainedEpochs, 'retainedEpochs', 0, 1000);
  if (o.paddingBlock !== undefined) c.paddingBlock = int(o.paddingBlock, 'paddingBlock', 0, 65535);
  if (o.handshake !== undefined) {
    if (o.handshake !== 'private' && o.handshake !== 'public') throw invalid("handshake must be 'private' or 'public'");
    c.handshakePublic = o.handshake === 'public';
  }
  if (o.ratchetTreeInWelcome !== undefined) c.ratchetTreeInWelcome = bool(o.ratchetTreeInWelcome, 'ratchetTreeInWelcome');
  if (o.alwaysUpdatePath !== undefined) c.alwaysUpdatePath = bool(o.alwaysUpdatePath, 'alwaysUpdatePath');
  if (o.credentialValidator !== undefined) c.credentialHook = credentialHook(o.credentialValidator);
  return c;
}

/**
 * The application's credentialValidator(credential, signatureKey) as the native layer calls it:
 * '' accepts; false, a thrown error or a returned string refuses (INVALID_CREDENTIAL with that reason).
 */
function credentialHook(validator) {
  if (typeof validator !== 'function') throw invalid('credentialValidator must be a function');
  return (info) => {
    try {
      const r = validator(info.credential, info.signatureKey);
      if (r === false) return 'the credential validator refused the credential';
      return typeof r === 'string' ? r : '';
    } catch (e) {
      const why = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
      return why === '' ? 'the credential validator refused the credential' : why;
    }
  };
}

function componentId(v, name) {
  return int(v, name, 0, 0xffff);
}

/** [{componentId, data}] with data a Uint8Array or string (null/undefined only where `removals` allows). */
function appDataList(v, name, removals) {
  return v === undefined ? [] : list(v, name, (e, n) => {
    if (e === null || typeof e !== 'object') throw invalid(`${n} must be {componentId, data}`);
    const id = componentId(e.componentId, `${n}.componentId`);
    if (removals && (e.data === null || e.data === undefined)) return { componentId: id };
    return { componentId: id, data: bytesOrText(e.data, `${n}.data`) };
  });
}

/** Per-commit choices (CommitOptions) as the native layer reads them. */
function commitOptions(o = {}) {
  if (o === null || typeof o !== 'object') throw invalid('options must be an object');
  const c = { forcePath: bool(o.forcePath, 'forcePath', false), appData: appDataList(o.appData, 'appData', true) };
  if (o.handshake !== undefined) {
    if (o.handshake !== 'private' && o.handshake !== 'public') throw invalid("handshake must be 'private' or 'public'");
    c.handshakePublic = o.handshake === 'public';
  }
  if (o.ratchetTreeInWelcome !== undefined) c.ratchetTreeInWelcome = bool(o.ratchetTreeInWelcome, 'ratchetTreeInWelcome');
  if (o.aad !== undefined && o.aad !== null) c.aad = bytes(o.aad, 'aad');
  return c;
}

function handleOf(v, cls, name) {
  if (!(v instanceof cls)) throw invalid(`${name} must be a ${cls.name}`);
  return v.handle;
}

// ------------------------------------------------------------------ handles

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((h) => { if (native !== null) native.free(h); })
  : null;

/** A Java object held by handle. */
class Native {
  #handle;

  constructor(handle) {
    this.#handle = handle;
    registry?.register(this, handle, this);
  }

  /** @internal */
  get handle() {
    if (this.#handle === 0) throw new MlsError(ErrorCode.INVALID_STATE, `this ${this.constructor.name} was freed`);
    return this.#handle;
  }

  /** Releases the Java object now; the wrapper is unusable afterwards. Idempotent. */
  free() {
    if (this.#handle !== 0) {
      registry?.unregister(this);
      lib().free(this.#handle);
      this.#handle = 0;
    }
  }
}

// ------------------------------------------------------------------ clients and KeyPackages

/** One client's identity in one cipher suite: credential and signature key pair. */
export class Client extends Native {
  /**
   * A basic credential ({identity}) or an X.509 one ({certificates: DER chain, leaf first}); the
   * signature key pair is fresh unless `signaturePrivateKey` is given (required with X.509: the
   * key the leaf certificate certifies).
   */
  static create(options) {
    if (options === null || typeof options !== 'object') throw invalid('options must be {identity | certificates, cipherSuite?}');
    const suite = int(options.cipherSuite ?? 1, 'cipherSuite', 0, 0xffff);
    const key = optBytes(options.signaturePrivateKey, 'signaturePrivateKey');
    if (options.certificates !== undefined) {
      if (options.identity !== undefined) throw invalid('give identity (basic) or certificates (X.509), not both');
      const chain = list(options.certificates, 'certificates', (c, n) => bytes(c, n));
      if (chain.length === 0) throw invalid('certificates must hold at least the leaf certificate');
      if (key.length === 0) throw invalid('an X.509 client needs the signaturePrivateKey its certificate certifies');
      return new Client(call((n) => n.clientCreateX509(suite, chain, key)));
    }
    const identity = bytesOrText(options.identity, 'identity');
    return new Client(call((n) => n.clientCreate(suite, identity, key)));
  }

  static load(state) {
    const s = bytes(state, 'state');
    return new Client(call((n) => n.clientLoad(s)));
  }

  #info() {
    return call((n) => n.clientInfo(this.handle));
  }

  get cipherSuite() { return this.#info().cipherSuite; }

  get credential() { return this.#info().credential; }

  get identity() {
    const c = this.#info().credential;
    return c.identity ?? new Uint8Array(0);
  }

  get signaturePublicKey() { return this.#info().signaturePublicKey; }

  /**
   * Signs a delivery service's challenge for device `user/device` (the DS's registration and token
   * proof, delivery-service/README.md "Devices and tokens"): `{signature, credential}` (the encoded
   * credential a registration sends), for transports that talk to the DS without mlskit/client,
   * such as mlskit/mmls's DsRelayTransport.
   */
  dsProof(challenge, user, device) {
    const c = bytes(challenge, 'challenge');
    if (typeof user !== 'string' || typeof device !== 'string') throw invalid('user and device must be strings');
    return call((n) => n.clientDsProof(this.handle, c, user, device));
  }

  /** What the client's leaves advertise: versions, cipher suites, extension, proposal and credential types. */
  get capabilities() { return this.#info().capabilities; }

  /** A fresh KeyPackage to publish (its `message`); keep the object to join with. */
  createKeyPackage(options = {}) {
    const lastResort = bool(options.lastResort, 'lastResort', false);
    let notBefore = -1;
    let notAfter = -1;
    if (options.notBefore !== undefined || options.notAfter !== undefined) {
      notBefore = int(options.notBefore, 'notBefore', 0, Number.MAX_SAFE_INTEGER);
      notAfter = int(options.notAfter, 'notAfter', 0, Number.MAX_SAFE_INTEGER);
    }
    return new KeyPackage(call((n) => n.keyPackageCreate(this.handle, notBefore, notAfter, lastResort)));
  }

  /** The client's private state (signature private key included). */
  save() {
    return call((n) => n.clientSave(this.handle));
  }
}

/** A KeyPackage with its private keys; `message` is the MLSMessage to publish. */
export class KeyPackage extends Native {
  static load(state) {
    const s = bytes(state, 'state');
    return new KeyPackage(call((n) => n.keyPackageLoad(s)));
  }

  /** Decodes and validates a published KeyPackage message (signatures, keys, lifetime). */
  static inspect(message) {
    const m = bytes(message, 'message');
    return call((n) => n.keyPackageInspect(m));
  }

  #info() {
    return call((n) => n.keyPackageInfo(this.handle));
  }

  get message() { return this.#info().message; }

  get cipherSuite() { return this.#info().cipherSuite; }

  get credential() { return this.#info().credential; }

  get lastResort() { return this.#info().lastResort; }

  /** The KeyPackageRef, as a Welcome names the KeyPackages it is for (see inspectMessage). */
  get ref() { return this.#info().ref; }

  /** The KeyPackage's public view: message, cipherSuite, credential, signatureKey, lastResort, lifetime. */
  info() {
    return this.#info();
  }

  save() {
    return call((n) => n.keyPackageSave(this.handle));
  }
}

// ------------------------------------------------------------------ groups

const STATUS = { ACTIVE: 'active', REMOVED: 'removed', REINIT_PENDING: 'reinit-pending' };

/** A commit built or received but not applied: merge it into its group, or discard it. */
export class StagedCommit extends Native {
  constructor(summary) {
    super(summary.handle);
    this.message = summary.message;
    this.welcome = summary.welcome;
    this.own = summary.own;
    this.external = summary.external;
    this.newEpoch = summary.newEpoch;
    this.committerLeaf = summary.committerLeaf;
    this.removesMe = summary.removesMe;
    this.added = summary.added;
    this.removed = summary.removed;
    this.updated = summary.updated;
    this.psks = summary.psks;
    this.reInit = summary.reInit;
    this.changesExtensions = summary.changesExtensions;
    this.hasUpdatePath = summary.hasUpdatePath;
  }
}

function successor(r) {
  return { group: new Group(r.group), welcome: r.welcome };
}

/** One member's view of a group in its current epoch. */
export class Group extends Native {
  /** A new one-member group. */
  static create(client, options = {}) {
    const c = handleOf(client, Client, 'client');
    const groupId = options.groupId === undefined
      ? globalThis.crypto.getRandomValues(new Int8Array(16))
      : bytesOrText(options.groupId, 'groupId');
    const ext = extensionList(options.extensions);
    const appData = appDataList(options.appData, 'appData', false);
    const conf = config(options);
    return new Group(call((n) => n.groupCreate(c, groupId, ext, appData, conf)));
  }

  /**
   * Which of `keyPackages` a Welcome is for (the first whose ref it names), or null: join with
   * that one instead of trying each and skipping NOT_FOR_US.
   */
  static keyPackageFor(welcome, keyPackages) {
    const refs = inspectMessage(welcome).keyPackageRefs.map((r) => r.join(','));
    const kps = Array.isArray(keyPackages) ? keyPackages : [keyPackages];
    for (const [i, k] of kps.entries()) {
      handleOf(k, KeyPackage, `keyPackages[${i}]`);
      if (refs.includes(k.ref.join(','))) return k;
    }
    return null;
  }

  /** Joins from a Welcome made for `keyPackage`. */
  static join(client, welcome, keyPackage, options = {}) {
    const c = handleOf(client, Client, 'client');
    const w = bytes(welcome, 'welcome');
    const k = handleOf(keyPackage, KeyPackage, 'keyPackage');
    const tree = optBytes(options.ratchetTree, 'ratchetTree');
    const from = options.resumptionFrom === undefined ? 0 : handleOf(options.resumptionFrom, Group, 'resumptionFrom');
    const conf = config(options);
    return new Group(call((n) => n.groupJoin(c, w, k, tree, conf, from)));
  }

  /** Joins by external commit from a GroupInfo; send `commit` to the group. */
  static joinExternal(client, groupInfo, options = {}) {
    const c = handleOf(client, Client, 'client');
    const info = bytes(groupInfo, 'groupInfo');
    const tree = optBytes(options.ratchetTree, 'ratchetTree');
    const resync = options.resyncLeaf === undefined ? -1 : int(options.resyncLeaf, 'resyncLeaf');
    const psks = options.psks === undefined ? [] : list(options.psks, 'psks', (p, n) => bytes(p, n));
    const removes = options.selfRemoves === undefined ? [] : list(options.selfRemoves, 'selfRemoves', (p, n) => bytes(p, n));
    const aad = optBytes(options.aad, 'aad');
    const conf = config(options);
    const r = call((n) => n.groupJoinExternal(c, info, tree, resync, psks, removes, aad, conf));
    return { group: new Group(r.group), commit: r.commit };
  }

  /** Restores a group saved with save(); options are the local policy (not saved). */
  static load(state, options = {}) {
    const s = bytes(state, 'state');
    const conf = config(options);
    return new Group(call((n) => n.groupLoad(s, conf)));
  }

  #info() {
    return call((n) => n.groupInfo(this.handle));
  }

  get groupId() { return this.#info().groupId; }

  get epoch() { return this.#info().epoch; }

  get cipherSuite() { return this.#info().cipherSuite; }

  get myLeafIndex() { return this.#info().myLeafIndex; }

  get memberCount() { return this.#info().memberCount; }

  /** 'active', 'removed' or 'reinit-pending'. */
  get status() { return STATUS[this.#info().status]; }

  members() {
    return call((n) => n.groupMembers(this.handle));
  }

  member(leafIndex) {
    const leaf = int(leafIndex, 'leafIndex');
    return call((n) => n.groupMember(this.handle, leaf));
  }

  extensions() {
    return call((n) => n.groupExtensions(this.handle));
  }

  /** The tree hash of the current epoch (as in the GroupContext). */
  get treeHash() {
    return call((n) => n.groupTreeHash(this.handle));
  }

  /** The GroupContext: version, cipherSuite, groupId, epoch, treeHash, confirmedTranscriptHash, extensions, encoded. */
  groupContext() {
    return call((n) => n.groupContext(this.handle));
  }

  /** The group's app_data_dictionary (group metadata): [{componentId, data}] sorted by componentId. */
  appData() {
    return call((n) => n.groupAppData(this.handle));
  }

  /** MLS-Exporter(label, context, length) of the current epoch. */
  exportSecret(label, context, length) {
    if (typeof label !== 'string') throw invalid('label must be a string');
    const ctx = bytesOrText(context, 'context');
    const len = int(length, 'length', 0, 0xffff);
    return call((n) => n.groupExport(this.handle, label, ctx, len));
  }

  epochAuthenticator() {
    return call((n) => n.groupEpochAuthenticator(this.handle));
  }

  ratchetTree() {
    return call((n) => n.groupRatchetTree(this.handle));
  }

  /** A signed GroupInfo message, by default with the tree and external_pub (for external joins). */
  groupInfo(options = {}) {
    const tree = bool(options.ratchetTree, 'ratchetTree', true);
    const pub = bool(options.externalPub, 'externalPub', true);
    return call((n) => n.groupGroupInfo(this.handle, tree, pub));
  }

  /** The committed ReInit ({groupId, cipherSuite, extensions}) once status is 'reinit-pending', else null. */
  pendingReInit() {
    return call((n) => n.groupPendingReInit(this.handle));
  }

  /** Sets an external PSK this group may use (local policy, not saved). */
  setExternalPsk(id, secret) {
    const i = bytes(id, 'id');
    const s = bytes(secret, 'secret');
    call((n) => n.groupSetExternalPsk(this.handle, i, s));
  }

  encrypt(data, options = {}) {
    const d = bytesOrText(data, 'data');
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupEncrypt(this.handle, d, aad));
  }

  /** Verifies and processes one message: an application message, a proposal (cached) or a staged commit. */
  process(message) {
    const m = bytes(message, 'message');
    const r = call((n) => n.groupProcess(this.handle, m));
    if (r.kind === 'commit') r.commit = new StagedCommit(r.commit);
    if (r.kind === 'application') r.senderLeaf = r.sender.type === 'member' ? r.sender.index : -1;
    return r;
  }

  // -------------------------------------------------- proposals (each returns the message to send)

  proposeAdd(keyPackage, options = {}) {
    const k = bytes(keyPackage, 'keyPackage');
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeAdd(this.handle, k, aad));
  }

  proposeRemove(leafIndex, options = {}) {
    const leaf = int(leafIndex, 'leafIndex');
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeRemove(this.handle, leaf, aad));
  }

  proposeUpdate(options = {}) {
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeUpdate(this.handle, aad));
  }

  proposeExternalPsk(pskId, options = {}) {
    const id = bytes(pskId, 'pskId');
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeExternalPsk(this.handle, id, aad));
  }

  proposeResumptionPsk(epoch, options = {}) {
    const e = int(epoch, 'epoch', 0, Number.MAX_SAFE_INTEGER);
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeResumptionPsk(this.handle, e, aad));
  }

  proposeGroupContextExtensions(extensions, options = {}) {
    const ext = extensionList(extensions);
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeGroupContextExtensions(this.handle, ext, aad));
  }

  /** Proposes that this member leave; another member (or an external joiner) commits it. Always a PublicMessage. */
  proposeSelfRemove(options = {}) {
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeSelfRemove(this.handle, aad));
  }

  /** Proposes new data for one app data component (a string is UTF-8 encoded). */
  proposeAppDataUpdate(componentId, data, options = {}) {
    const id = componentId_(componentId);
    const d = bytesOrText(data, 'data');
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeAppDataUpdate(this.handle, id, d, false, aad));
  }

  /** Proposes removing one app data component's entry. */
  proposeAppDataRemove(componentId, options = {}) {
    const id = componentId_(componentId);
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeAppDataUpdate(this.handle, id, new Int8Array(0), true, aad));
  }

  proposeReInit(options) {
    if (options === null || typeof options !== 'object') throw invalid('options must be {groupId, cipherSuite}');
    const gid = bytesOrText(options.groupId, 'groupId');
    const suite = int(options.cipherSuite, 'cipherSuite', 0, 0xffff);
    const ext = extensionList(options.extensions);
    const aad = optBytes(options.aad, 'aad');
    return call((n) => n.groupProposeReInit(this.handle, gid, suite, ext, aad));
  }

  // -------------------------------------------------- commits (staged; the group changes on merge)

  // Each takes CommitOptions: handshake ('public' | 'private'), ratchetTreeInWelcome, forcePath,
  // aad, appData (AppDataUpdates by value); what is not given comes from the group's options.

  /** Commits Adds of these KeyPackage messages (plus the cached proposals). */
  add(keyPackages, options = {}) {
    const kps = keyPackageMessages(keyPackages);
    const o = commitOptions(options);
    return new StagedCommit(call((n) => n.groupAdd(this.handle, kps, o)));
  }

  /** Commits Removes of these leaves (plus the cached proposals). */
  remove(leafIndexes, options = {}) {
    const leaves = list(Array.isArray(leafIndexes) ? leafIndexes : [leafIndexes], 'leafIndexes', (l, n) => int(l, n));
    const o = commitOptions(options);
    return new StagedCommit(call((n) => n.groupRemove(this.handle, leaves, o)));
  }

  /** Commits fresh keys for this member (an UpdatePath), plus the cached proposals. */
  update(options = {}) {
    const o = commitOptions(options);
    return new StagedCommit(call((n) => n.groupUpdate(this.handle, o)));
  }

  /** Commits the cached proposals (and options.appData). */
  commit(options = {}) {
    const o = commitOptions(options);
    return new StagedCommit(call((n) => n.groupCommit(this.handle, o)));
  }

  /** Moves to the staged commit's epoch (own: once the delivery service accepted it). */
  merge(staged) {
    const s = handleOf(staged, StagedCommit, 'staged');
    call((n) => n.groupMerge(this.handle, s));
    staged.free();
  }

  /** Drops a staged commit; the group stays in its epoch. */
  discard(staged) {
    const s = handleOf(staged, StagedCommit, 'staged');
    call((n) => n.groupDiscard(this.handle, s));
    staged.free();
  }

  // -------------------------------------------------- ReInit and branch

  /** After a committed ReInit: the successor group (in `client`'s suite) adding these KeyPackages, and its Welcome. */
  reInitialize(client, keyPackages) {
    const c = handleOf(client, Client, 'client');
    const kps = keyPackageMessages(keyPackages);
    return successor(call((n) => n.groupReInitialize(this.handle, c, kps)));
  }

  /** A subgroup with these KeyPackages' members, tied to this epoch by a branch PSK. */
  branch(keyPackages, options = {}) {
    const kps = keyPackageMessages(keyPackages);
    const gid = options.groupId === undefined
      ? globalThis.crypto.getRandomValues(new Int8Array(16))
      : bytesOrText(options.groupId, 'groupId');
    const ext = extensionList(options.extensions);
    return successor(call((n) => n.groupBranch(this.handle, gid, ext, kps)));
  }

  /** The whole group state, private keys included (merge or discard a staged own commit first). */
  save() {
    return call((n) => n.groupSave(this.handle));
  }
}

function componentId_(v) {
  return componentId(v, 'componentId');
}

/**
 * The public header of any MLSMessage, read before processing it: wireFormat ('public' |
 * 'private' | 'welcome' | 'groupInfo' | 'keyPackage'), contentType, groupId, epoch, sender (in
 * the clear for PublicMessages only), cipherSuite, keyPackageRefs (a Welcome's entries).
 */
export function inspectMessage(message) {
  const m = bytes(message, 'message');
  return call((n) => n.inspectMessage(m));
}

/** The seven RFC 9420 cipher suites: [{id, name}]. */
export function cipherSuites() {
  return call((n) => n.cipherSuites());
}

/** How many native objects are alive (not yet freed or collected); for leak checks. */
export function liveObjects() {
  return call((n) => n.liveHandles());
}
