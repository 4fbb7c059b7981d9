// mlskit/call: end-to-end encrypted WebRTC media with SFrame (RFC 9605) keys from an MLS group
// (§5.2). A Call attaches encoded transforms to RTCPeerConnection senders and receivers; the
// frames are encrypted and decrypted in a worker that holds the keys (worker.js). The page hands
// over each epoch's exporter output and keeps no copy of it.

import { KeyRing } from './key-ring.js';

/** The exporter label of RFC 9605 §5.2. */
export const EXPORTER_LABEL = 'SFrame 1.0 Base Key';

const SUITE_NK = Object.freeze({ 4: 16, 5: 32 });

/** A rejected call operation; `code` is INVALID_ARGUMENT, INVALID_STATE, UNSUPPORTED, ... */
export class CallError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'CallError';
    this.code = code;
  }
}

/** Which encoded-transform API this browser has: 'script-transform', 'encoded-streams' or null. */
export function transformSupport() {
  if (typeof RTCRtpScriptTransform === 'function') return 'script-transform';
  if (typeof RTCRtpSender !== 'undefined' && typeof RTCRtpSender.prototype.createEncodedStreams === 'function') return 'encoded-streams';
  return null;
}

/**
 * The RTCPeerConnection options a call needs: `encodedInsertableStreams` where only
 * createEncodedStreams exists (it must be set when the connection is created).
 */
export function peerConnectionConfig(config = {}) {
  return transformSupport() === 'encoded-streams' ? { ...config, encodedInsertableStreams: true } : { ...config };
}

/**
 * The SFrame keys of a group's current epoch, {epoch, baseKey, myLeaf, memberLeaves}: for
 * Call.setEpoch, or to post to a worker. A group this member was removed from has none.
 */
export function epochKeys(group, cipherSuite = 4) {
  const nk = SUITE_NK[cipherSuite];
  if (!nk) throw new CallError('UNSUPPORTED', `cipher suite ${cipherSuite}`);
  // duck-typed, so a Group of another copy of the package works too
  if (!group || typeof group.exportSecret !== 'function' || typeof group.members !== 'function') {
    throw new CallError('INVALID_ARGUMENT', 'epochKeys takes an mlskit Group');
  }
  if (group.status !== undefined && group.status !== 'active') {
    throw new CallError('INVALID_STATE', `the group is ${group.status}: no media keys for it`);
  }
  return {
    epoch: BigInt(group.epoch),
    baseKey: group.exportSecret(EXPORTER_LABEL, new Uint8Array(0), nk),
    myLeaf: group.myLeafIndex,
    memberLeaves: group.members().map((m) => m.leafIndex),
  };
}

/**
 * The SFrame keys of a group's current epoch on an mlskit/client MlsClient (in the page or in
 * its worker): {epoch, baseKey, myLeaf, memberLeaves} for Call.setEpoch. Call it after 'joined'
 * and on every 'epoch' event of the group. INVALID_STATE when this device is not in the group.
 */
export async function clientEpochKeys(client, group, cipherSuite = 4) {
  const nk = SUITE_NK[cipherSuite];
  if (!nk) throw new CallError('UNSUPPORTED', `cipher suite ${cipherSuite}`);
  if (!client || typeof client.exportSecret !== 'function') {
    throw new CallError('INVALID_ARGUMENT', 'clientEpochKeys takes an mlskit/client MlsClient');
  }
  const r = await client.exportSecret(group, EXPORTER_LABEL, new Uint8Array(0), nk);
  if (r === null) throw new CallError('INVALID_STATE', 'this device is not in the group: no media keys for it');
  return { epoch: BigInt(r.epoch), baseKey: r.secret, myLeaf: r.myLeaf, memberLeaves: r.memberLeaves };
}

export class Call {
  #worker;
  #owned;
  #seq = 0;
  #pending = new Map();
  #nextContext = 0;
  #ids = new Set();
  #nk;
  #suite;
  #api;
  #closed = false;
  #failed = null;
  #configured;

  /**
   * options: cipherSuite (4 = AES_128_GCM_SHA256_128, default; 5), epochBits (default 4),
   * gracePeriodMs (default 2000: how long the previous epoch still decrypts), replayWindow
   * (default 1024), worker (a Worker running mlskit/call/worker; default: a new module worker),
   * transformApi ('script-transform' or 'encoded-streams'; default: the first this browser has),
   * frameCipher ('auto', default: audio frames through the package's own AES-GCM where its
   * wasm-gc build loads in the worker, video through WebCrypto; 'webcrypto': every frame through
   * WebCrypto, and no raw base key in the worker).
   */
  constructor(options = {}) {
    const { worker, cipherSuite = 4, epochBits = 4, gracePeriodMs = 2000, replayWindow = 1024, transformApi, frameCipher = 'auto' } = options;
    if (frameCipher !== 'auto' && frameCipher !== 'webcrypto') throw new CallError('INVALID_ARGUMENT', `frameCipher must be 'auto' or 'webcrypto'`);
    this.#api = transformApi ?? transformSupport();
    if (this.#api !== null && this.#api !== 'script-transform' && this.#api !== 'encoded-streams') {
      throw new CallError('INVALID_ARGUMENT', `transformApi must be 'script-transform' or 'encoded-streams'`);
    }
    this.#nk = SUITE_NK[cipherSuite];
    this.#suite = cipherSuite;
    if (!this.#nk) throw new CallError('UNSUPPORTED', `cipher suite ${cipherSuite}: a call does 4 (AES_128_GCM_SHA256_128) or 5 (AES_256_GCM_SHA512_128)`);
    try {
      new KeyRing({ cipherSuite, epochBits, gracePeriodMs, replayWindow }); // the worker's checks, here, before any worker starts
    } catch (e) {
      throw new CallError(e.code ?? 'INVALID_ARGUMENT', e.message);
    }
    this.#owned = !worker;
    this.#worker = worker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'mlskit-call' });
    this.#worker.addEventListener('message', (ev) => this.#onMessage(ev.data));
    // an ErrorEvent carries an uncaught error; a plain Event means the worker's modules did not load
    this.#worker.addEventListener('error', (ev) => {
      this.#failed = new CallError('WORKER_FAILED',
        ev.message ? `the call worker failed: ${ev.message}` : 'the call worker could not load its modules (mlskit/call/worker.js)');
      this.#failAll(this.#failed);
    });
    // awaited by setEpoch, which reports a failure; never an unhandled rejection
    this.#configured = this.#post({ type: 'configure', options: { cipherSuite, epochBits, gracePeriodMs, replayWindow, frameCipher } });
    this.#configured.catch(() => {});
  }

  #onMessage(m) {
    const p = this.#pending.get(m?.seq);
    if (!p) return;
    this.#pending.delete(m.seq);
    if (m.error) p.reject(new CallError(m.error.code, m.error.message));
    else p.resolve(m);
  }

  #failAll(e) {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  #post(msg, transfer = []) {
    if (this.#closed) return Promise.reject(new CallError('INVALID_STATE', 'the call was left'));
    if (this.#failed) return Promise.reject(this.#failed);
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#worker.postMessage({ ...msg, seq }, transfer);
    });
  }

  /**
   * Moves the call to the group's current epoch (call it after joining and after every merged
   * commit): frames are sent under the new epoch's keys, the previous epoch still decrypts for the
   * grace period. Takes an mlskit Group, or {epoch, baseKey, myLeaf, memberLeaves} where baseKey is
   * MLS-Exporter("SFrame 1.0 Base Key", "", Nk) of that epoch (wiped once sent).
   */
  async setEpoch(source) {
    let k = source;
    if (source && typeof source.exportSecret === 'function') k = epochKeys(source, this.#suite);
    else if (!source || typeof source !== 'object') throw new CallError('INVALID_ARGUMENT', 'setEpoch takes an mlskit Group or {epoch, baseKey, myLeaf, memberLeaves}');
    if (!(k.baseKey instanceof Uint8Array) || k.baseKey.length !== this.#nk) {
      throw new CallError('INVALID_ARGUMENT', `baseKey must be ${this.#nk} bytes`);
    }
    // a private copy is transferred (the worker owns it afterwards); the caller's is wiped
    const baseKey = k.baseKey.slice();
    k.baseKey.fill(0);
    try {
      await this.#configured;
    } catch (e) {
      baseKey.fill(0);
      throw e;
    }
    await this.#post({ type: 'epoch', epoch: String(k.epoch), baseKey: baseKey.buffer, myLeaf: k.myLeaf, memberLeaves: [...k.memberLeaves] },
      [baseKey.buffer]);
  }

  #id(id, prefix) {
    const v = id ?? `${prefix}-${this.#ids.size}`;
    if (typeof v !== 'string' || this.#ids.has(v)) throw new CallError('INVALID_ARGUMENT', `transform id ${v} is not a new string`);
    this.#ids.add(v);
    return v;
  }

  /** The encoded-transform API this call uses ('script-transform', 'encoded-streams', or null where there is none). */
  get transformApi() {
    return this.#api;
  }

  /** RTCPeerConnection options for this call's peer connections (encodedInsertableStreams on the encoded-streams path). */
  peerConnectionConfig(config = {}) {
    return this.#api === 'encoded-streams' ? { ...config, encodedInsertableStreams: true } : { ...config };
  }

  #attach(target, options) {
    if (this.#api === 'script-transform') {
      target.transform = new RTCRtpScriptTransform(this.#worker, options);
    } else if (this.#api === 'encoded-streams') {
      const { readable, writable } = target.createEncodedStreams();
      // a failure shows as a missing transform in stats() and as the worker's error; not thrown here
      this.#post({ type: 'streams', ...options, readable, writable }, [readable, writable]).catch(() => {});
    } else {
      throw new CallError('UNSUPPORTED', 'this browser has neither RTCRtpScriptTransform nor createEncodedStreams');
    }
  }

  /**
   * Encrypts everything `sender` sends, under a stream context of its own (so no two streams
   * share a key and counter). Returns the id its counters appear under in stats().
   */
  encryptSender(sender, options = {}) {
    if (this.#closed) throw new CallError('INVALID_STATE', 'the call was left');
    const id = this.#id(options.id, `send-${sender?.track?.kind ?? 'track'}`);
    const contextId = this.#nextContext++;
    this.#attach(sender, { role: 'encrypt', id, contextId, kind: options.kind ?? sender?.track?.kind });
    return id;
  }

  /** Decrypts what `receiver` receives; frames that do not decrypt are dropped and counted under the returned id. */
  decryptReceiver(receiver, options = {}) {
    if (this.#closed) throw new CallError('INVALID_STATE', 'the call was left');
    const id = this.#id(options.id, `recv-${receiver?.track?.kind ?? 'track'}`);
    this.#attach(receiver, { role: 'decrypt', id, kind: options.kind ?? receiver?.track?.kind });
    return id;
  }

  /**
   * Counters per transform id: {role, frames, bytes, dropped, errors: {CODE: n}, epoch, kid,
   * senderLeaf, epochs: {epoch: frames}} (64-bit values as decimal strings), and the current and
   * held epochs, and what seals audio frames (smallFrames: 'wasm-gc' or 'webcrypto').
   */
  async stats() {
    const r = await this.#post({ type: 'stats' });
    return { epoch: r.epoch, heldEpochs: r.held, smallFrames: r.smallFrames, transforms: r.stats };
  }

  /** Erases every key in the worker (frames are dropped from now on) and, if the call made it, ends the worker. */
  async leave() {
    if (this.#closed) return;
    try {
      await this.#post({ type: 'leave' });
    } finally {
      this.#closed = true;
      if (this.#owned) this.#worker.terminate();
      this.#failAll(new CallError('INVALID_STATE', 'the call was left'));
    }
  }
}

// The worker's building blocks, for applications that run their own pipeline (and for tests).
export { KeyRing };
export { CallStats, encryptFrame, decryptFrame } from './frame-transform.js';
export { FrameError } from './sframe-core.js';
