// mlskit/mmls over an mlskit delivery service used as a plain relay (POST /v1/relay and the
// mailbox socket, delivery-service/README.md "The relay"): the DS orders nothing for Multi-MLS,
// it only stores each payload for the named devices until they read and acknowledge it, so a peer
// that was offline reads everything it missed when it comes back. The device registers with the
// session's own signature key (its basic credential must be "user/device", which is also its
// participant id), so the DS knows it by the key its log entries are signed with.
import { MlsError } from '../errors.js';
import { Transport } from '../client/transport.js';

const MAX_BACKOFF_MS = 10_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A transport for MmlsPeer over the delivery service at `server`.
 *
 * @param options.client the session's mlskit `Client` (basic credential "user/device")
 * @param options.to the names to relay to: an array, or a function returning one, of "user" or
 *   "user/device" (the participants' ids); names the DS does not know yet are skipped for that
 *   payload (the peer's anti-entropy brings it to them once they appear)
 * @param options.after the mailbox cursor to resume from (default 0: everything still stored)
 * @param options.onCursor called with the cursor after each delivered batch, to persist it
 * @param options.fetch / options.WebSocket as for mlskit/client's transport
 */
export class DsRelayTransport {
  constructor(server, options = {}) {
    const id = new TextDecoder().decode(options.client?.identity ?? new Uint8Array(0));
    const slash = id.indexOf('/');
    if (!options.client || slash <= 0 || slash !== id.lastIndexOf('/')) {
      throw new MlsError('INVALID_ARGUMENT', 'DsRelayTransport needs the session\'s Client, whose identity is "user/device"');
    }
    if (!Array.isArray(options.to) && typeof options.to !== 'function') {
      throw new MlsError('INVALID_ARGUMENT', 'to must be an array of names or a function returning one');
    }
    this.client = options.client;
    this.user = id.slice(0, slash);
    this.device = id.slice(slash + 1);
    this.self = id;
    this.names = typeof options.to === 'function' ? options.to : () => options.to;
    this.cursor = Number(options.after ?? 0);
    this.onCursor = options.onCursor ?? (() => {});
    this.transport = new Transport(server, options);
    this.receivers = [];
    this.statusListeners = [];
    this.queue = [];
    this.sending = false;
    this.closed = false;
    this.token = null;
    this.online = false;
    this.failures = 0;
    /** Resolves once the device is registered or logged in; rejects if its key cannot use its name. */
    this.ready = new Promise((resolve, reject) => {
      this.loggedIn = resolve;
      this.loginRefused = reject;
    });
    this.ready.catch(() => {});
    this.sleepers = new Set();
    // A browser that reports the network gone may keep a loopback or idle socket open: close it
    // (sends queue, the mailbox keeps what arrives); when it reports the network back, retry now.
    if (typeof globalThis.addEventListener === 'function') {
      this.wentOffline = () => this.transport.closeSocket();
      this.cameOnline = () => {
        this.failures = 0;
        for (const wake of this.sleepers) wake();
      };
      globalThis.addEventListener('offline', this.wentOffline);
      globalThis.addEventListener('online', this.cameOnline);
    }
    this.#connect().catch((e) => this.loginRefused(e));
  }

  /** Publishes KeyPackages (MLSMessages) in the DS's directory, for others to claim: the remaining count. */
  async uploadKeyPackages(messages) {
    await this.ready;
    return this.#call({ kind: 'UPLOAD_KEY_PACKAGES', authenticated: true, messages });
  }

  /** Claims one KeyPackage of `name` ("user/device"): the MLSMessage, or null when it has none (yet). */
  async claimKeyPackage(name) {
    await this.ready;
    const [user, device] = name.split('/');
    const r = await this.#call({ kind: 'CLAIM', authenticated: true, user, cipherSuite: this.client.cipherSuite });
    const mine = r.claims.find((c) => c.device === device);
    return mine?.keyPackage ?? null;
  }

  /**
   * Relays one payload to every participant: queued in order and retried until the DS accepts it.
   * Resolves once queued, so a peer offline keeps working; what is still queued when the page
   * closes is in the session's log, and anti-entropy sends it after the next start.
   */
  send(bytes) {
    if (this.closed) throw new MlsError('INVALID_STATE', 'the transport is closed');
    if (!(bytes instanceof Uint8Array)) throw new MlsError('INVALID_ARGUMENT', 'a payload must be a Uint8Array');
    this.queue.push({ bytes: bytes.slice() });
    this.#pump();
  }

  /** Payloads queued and not yet accepted by the DS. */
  get pending() {
    return this.queue.length;
  }

  onReceive(cb) {
    this.receivers.push(cb);
  }

  /** `cb(online)` whenever the mailbox socket goes live or drops (a peer re-announces its summary on true). */
  onStatus(cb) {
    this.statusListeners.push(cb);
  }

  close() {
    this.closed = true;
    if (this.wentOffline) {
      globalThis.removeEventListener('offline', this.wentOffline);
      globalThis.removeEventListener('online', this.cameOnline);
    }
    for (const wake of this.sleepers) wake();
    this.transport.close?.();
    this.transport.closeSocket?.();
    this.queue = [];
  }

  #status(online) {
    if (this.online === online) return;
    this.online = online;
    for (const cb of this.statusListeners) cb(online);
  }

  async #call(call) {
    const r = await this.transport.request({ id: 0, authenticated: false, ...call }, this.token);
    if (r.type === 'failed') {
      const e = new MlsError(r.code, r.message);
      throw e;
    }
    return r;
  }

  /** A token: registers the device the first time, logs in after that. */
  async #login() {
    const challenge = (await this.#call({ kind: 'CHALLENGE', user: this.user, device: this.device })).data;
    const { signature, credential } = this.client.dsProof(challenge, this.user, this.device);
    try {
      const r = await this.#call({
        kind: 'REGISTER', user: this.user, device: this.device, cipherSuite: this.client.cipherSuite,
        signatureKey: this.client.signaturePublicKey, credential, challenge, signature,
      });
      this.token = r.token;
    } catch (e) {
      // registered before (a restart): the DS refuses a second registration of the name, so log in
      if (e.code !== 'DEVICE_EXISTS' && e.code !== 'FORBIDDEN') throw e;
      const again = (await this.#call({ kind: 'CHALLENGE', user: this.user, device: this.device })).data;
      const r = await this.#call({
        kind: 'LOGIN', user: this.user, device: this.device, challenge: again,
        signature: this.client.dsProof(again, this.user, this.device).signature,
      });
      this.token = r.token;
    }
  }

  /** Waits before a retry, longer after each failure; the network coming back cuts it short. */
  async #backoff() {
    this.failures++;
    const ms = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.failures, 7));
    await new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Logs in, then keeps the mailbox socket open from the cursor, reopening it after a drop. */
  async #connect() {
    while (!this.closed) {
      try {
        if (!this.token) await this.#login();
        this.loggedIn();
      } catch (e) {
        if (e.code === 'BAD_SIGNATURE' || e.code === 'FORBIDDEN' || e.code === 'INVALID_CREDENTIAL') {
          this.closed = true;
          throw e; // this key cannot use this device name: retrying cannot help
        }
        await this.#backoff();
        continue;
      }
      this.#pump();
      const reason = await new Promise((resolve) => {
        this.transport.subscribe(this.cursor, this.token, {
          relayed: (list) => this.#deliver(list),
          live: () => {
            this.failures = 0;
            this.#status(true);
          },
          closed: resolve,
        });
      });
      this.#status(false);
      if (this.closed) return;
      if (/ 4001/.test(reason)) this.token = null; // the token expired: log in again
      await this.#backoff();
    }
  }

  #deliver(list) {
    for (const e of list) {
      if (e.seq <= this.cursor) continue;
      this.cursor = e.seq;
      for (const cb of this.receivers) {
        try {
          cb(e.payload, e.from);
        } catch {
          // a receiver's failure is its own; the relay goes on
        }
      }
    }
    this.onCursor(this.cursor);
    // acknowledged after the receivers took the batch; a lost ack only means a re-delivery, which logs ignore
    this.transport.request({ id: 0, kind: 'ACK', authenticated: true, after: this.cursor }, this.token).catch(() => {});
  }

  async #pump() {
    if (this.sending || !this.token) return;
    this.sending = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const item = this.queue[0];
        let to = [...new Set(this.names())].filter((n) => n !== this.self);
        while (to.length > 0) {
          try {
            await this.transport.relay(this.token, to, item.bytes);
            break;
          } catch (e) {
            if (e.code === 'NOT_FOUND' && to.includes(e.details?.to)) {
              to = to.filter((n) => n !== e.details.to);
            } else if (e.code === 'RATE_LIMITED') {
              await sleep(1000 * Number(e.details?.retryAfter ?? 1));
            } else if (e.code === 'UNAUTHENTICATED') {
              try {
                await this.#login(); // the token expired
              } catch {
                await this.#backoff();
              }
            } else if (e.code === 'UNREACHABLE' || e.code === 'UNAVAILABLE' || e.code === 'INTERNAL') {
              await this.#backoff();
              if (this.closed) return;
            } else {
              to = []; // refused for good (too large, malformed): dropped, the peer's anti-entropy decides
            }
          }
        }
        this.queue.shift();
      }
    } finally {
      this.sending = false;
    }
  }
}
