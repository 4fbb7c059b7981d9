// MmlsPeer: an MmlsSession on a relay. It publishes each step's entries as frames, feeds the
// frames it receives into the session, answers anti-entropy summaries, saves the session before
// publishing, and goes offline and back online. One step at a time (a promise queue), so a slow
// storage or transport never interleaves two steps.
import { MlsError } from '../errors.js';
import { FrameType, encodeFrame, decodeFrame, summaryCounts, holdsMore, sameBytes } from './wire.js';
import { MmlsSession } from './session.js';

export const PEER_EVENTS = Object.freeze([
  'message', 'joined', 'roster', 'removed', 'excised', 'waiting', 'forkedDependency', 'equivocation', 'rejected', 'error',
]);

function invalid(message) {
  return new MlsError('INVALID_ARGUMENT', message);
}

function checkTransport(t) {
  if (t === null || typeof t !== 'object' || typeof t.send !== 'function' || typeof t.onReceive !== 'function'
      || typeof t.close !== 'function') {
    throw invalid('transport must have send(bytes), onReceive(callback) and close()');
  }
  return t;
}

export class MmlsPeer {
  #session;
  #transport;
  #sessionId;
  #save;
  #forward;
  #interval;
  #online;
  #closed = false;
  #timer = null;
  #queue = Promise.resolve();
  #announcing = false;
  #listeners = new Map();
  #stats = { framesIn: 0, framesOut: 0, ignored: 0 };

  /**
   * `options`: `save(state)` (sync or async) called with the session's state after every step
   * that changed it, before its entries are published; `antiEntropyInterval` ms between summary
   * announcements (default 5000, 0 for none); `forward` re-sends others' entries new to this peer
   * (for relays that do not reach everyone; default false); `online` (default true).
   */
  constructor(session, transport, options = {}) {
    if (!(session instanceof MmlsSession)) throw invalid('session must be an MmlsSession');
    if (options === null || typeof options !== 'object') throw invalid('options must be an object');
    if (options.save !== undefined && typeof options.save !== 'function') throw invalid('save must be a function');
    const interval = options.antiEntropyInterval ?? 5000;
    if (!Number.isFinite(interval) || interval < 0) throw invalid('antiEntropyInterval must be a non-negative number of ms');
    this.#session = session;
    this.#transport = checkTransport(transport);
    this.#sessionId = session.sessionId;
    this.#save = options.save ?? null;
    this.#forward = options.forward === true;
    this.#interval = interval;
    this.#online = options.online !== false;
    transport.onReceive((bytes) => this.#onFrame(bytes));
    if (this.#online) this.#connected();
  }

  get session() { return this.#session; }
  get online() { return this.#online; }
  get closed() { return this.#closed; }
  /** Frames received and sent, and received frames ignored (other sessions, not ours, malformed). */
  get stats() { return { ...this.#stats }; }

  on(event, listener) {
    if (!PEER_EVENTS.includes(event)) throw invalid(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw invalid('listener must be a function');
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return this;
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  #emit(event, detail) {
    for (const l of this.#listeners.get(event) ?? []) {
      try {
        l(detail);
      } catch (e) {
        // A listener's bug must not stop the peer; report it where the app's errors go.
        setTimeout(() => { throw e; });
      }
    }
  }

  // ---------------------------------------------------------------- own actions

  /** INIT with the others' KeyPackages for this participant's send group. */
  start(keyPackages) { return this.#act((s) => s.start(keyPackages)); }
  add(keyPackage) { return this.#act((s) => s.add(keyPackage)); }
  remove(participant) { return this.#act((s) => s.remove(participant)); }
  update() { return this.#act((s) => s.update()); }
  commit() { return this.#act((s) => s.commit()); }
  /** PROTECT: sends an application message (string as UTF-8) to the roster. */
  send(data) { return this.#act((s) => s.protect(data)); }

  /** Resolves once every step queued so far is done. */
  idle() {
    return this.#enqueue(() => undefined);
  }

  /** Announces this peer's summary now (peers answer with what it lacks). */
  announce() {
    return this.#enqueue(() => this.#announce());
  }

  /**
   * Offline: sends nothing and drops what arrives (the relay keeps nothing for it). Back online:
   * announces its summary, so the others send what it missed and ask for what it wrote meanwhile.
   */
  setOnline(online) {
    if (typeof online !== 'boolean') throw invalid('online must be a boolean');
    if (this.#closed || online === this.#online) return;
    this.#online = online;
    if (online) {
      this.#connected();
    } else {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /** Stops the timer and closes the transport; the session stays usable (and is the caller's to free). */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#online = false;
    clearInterval(this.#timer);
    this.#timer = null;
    this.#transport.close();
  }

  #connected() {
    if (this.#interval > 0) {
      this.#timer = setInterval(() => { this.announce().catch(() => {}); }, this.#interval);
      this.#timer.unref?.(); // never keeps Node alive on its own
    }
    this.announce().catch(() => {});
  }

  #enqueue(fn) {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new MlsError('INVALID_STATE', 'this MmlsPeer is closed');
      return fn();
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  #act(fn) {
    return this.#enqueue(async () => {
      const step = fn(this.#session); // a refused call throws here and changes nothing
      await this.#finish(step, true);
      return step;
    });
  }

  /** Saves (when the step changed something), emits the events, publishes the entries. */
  async #finish(step, changed) {
    if (this.#save !== null && changed) {
      try {
        await this.#save(this.#session.save());
      } catch (e) {
        // Publishing what is not saved could fork our own log after a restart: stop instead.
        const err = new MlsError('INVALID_STATE', `saving the session failed: ${e?.message ?? e}`, { cause: e });
        this.#emit('error', err);
        this.close();
        throw err;
      }
    }
    for (const e of step.events) this.#emit(e.type, e);
    for (const entry of step.entries) await this.#send(FrameType.ENTRY, entry);
  }

  async #send(type, body) {
    if (!this.#online) return; // anti-entropy delivers it after reconnecting
    try {
      this.#stats.framesOut++;
      await this.#transport.send(encodeFrame(type, this.#sessionId, body));
    } catch (e) {
      // Not fatal: the entry is in our log and anti-entropy sends it again.
      this.#emit('error', e instanceof Error ? e : new Error(String(e)));
    }
  }

  async #announce() {
    if (this.#online) await this.#send(FrameType.SUMMARY, this.#session.summary());
  }

  // ---------------------------------------------------------------- receiving

  #onFrame(bytes) {
    if (!this.#online) return;
    if (!(bytes instanceof Uint8Array)) {
      this.#stats.ignored++;
      return;
    }
    const copy = bytes.slice(); // the relay may reuse its buffer
    this.#enqueue(() => this.#frame(copy)).catch(() => {});
  }

  async #frame(bytes) {
    if (!this.#online) return;
    const f = decodeFrame(bytes);
    if (f === null || !sameBytes(f.sessionId, this.#sessionId)) {
      this.#stats.ignored++;
      return;
    }
    this.#stats.framesIn++;
    if (f.type === FrameType.ENTRY) {
      let step;
      try {
        step = this.#session.receive(f.body);
      } catch {
        this.#stats.ignored++; // not an entry: a dumb relay may carry anything
        return;
      }
      await this.#finish(step, step.received || step.entries.length > 0);
      if (step.received && this.#forward) await this.#send(FrameType.ENTRY, f.body);
      return;
    }
    const theirs = summaryCounts(f.body);
    let missing;
    try {
      missing = theirs === null ? null : this.#session.missingFor(f.body);
    } catch {
      missing = null;
    }
    if (missing === null) {
      this.#stats.ignored++;
      return;
    }
    for (const e of missing) await this.#send(FrameType.ENTRY, e);
    if (holdsMore(theirs, summaryCounts(this.#session.summary()))) this.#announceSoon();
  }

  /** One announcement for however many summaries showed that a peer holds more than we do. */
  #announceSoon() {
    if (this.#announcing) return;
    this.#announcing = true;
    setTimeout(() => {
      this.#announcing = false;
      if (!this.#closed) this.announce().catch(() => {});
    }, 0);
  }
}
