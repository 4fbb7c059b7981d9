import { MlsError } from '../errors.js';
// The client's transport: each DsCall of the engine becomes one request to the delivery service
// (delivery-service/README.md), and each request ends in exactly one reply object for
// engineReply: the DS's answer, its error code, or UNREACHABLE when no answer came. The mailbox
// WebSocket is opened on SUBSCRIBE; its frames go to the engine and its close is SUBSCRIBE's reply
// (the engine then reopens it from its cursor after a backoff).
import { concat, fromBase64, toBase64, toBase64Url } from './bytes.js';

const JSON_TYPE = 'application/json';
const MLS_TYPE = 'message/mls';

/** A request gets this long before it counts as unanswered. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The DS error of a refused request, read from its JSON body. */
class DsRefusal extends Error {
  constructor(status, body) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function failed(id, code, message) {
  return { id, type: 'failed', code, message: String(message ?? code) };
}

function groupPath(call) {
  return `/v1/groups/${toBase64Url(call.groupId)}`;
}

function count(id, r) {
  const suites = [];
  const counts = [];
  for (const [suite, n] of Object.entries(r.remaining ?? {})) {
    suites.push(Number(suite));
    counts.push(Number(n));
  }
  return { id, type: 'count', suites, counts, rotateLastResort: !!r.rotateLastResort };
}

function accepted(id, r) {
  return { id, type: 'accepted', epoch: Number(r.epoch), seq: Number(r.seq) };
}

export class Transport {
  /**
   * @param server the DS's base URL (http or https)
   * @param options.fetch a fetch implementation (default: the global one)
   * @param options.WebSocket a WebSocket class (default: the global one; Node 20 needs
   *   --experimental-websocket or one from a package such as `ws`)
   */
  constructor(server, options = {}) {
    this.base = server.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.requests = new Set();
    this.socket = null;
  }

  /** Performs one call (not SUBSCRIBE); resolves to its reply, never rejects. */
  async request(call, token) {
    const abort = new AbortController();
    this.requests.add(abort);
    const timer = setTimeout(() => abort.abort(new Error('no answer in time')), REQUEST_TIMEOUT_MS);
    try {
      return await this.#perform(call, token, abort.signal);
    } catch (e) {
      if (e instanceof DsRefusal) {
        const b = e.body;
        if (b.code === 'WRONG_EPOCH') return { id: call.id, type: 'wrongEpoch', epoch: Number(b.epoch), from: Number(b.from) };
        return failed(call.id, b.code, b.message);
      }
      return failed(call.id, 'UNREACHABLE', e?.message ?? e);
    } finally {
      clearTimeout(timer);
      this.requests.delete(abort);
    }
  }

  async #perform(c, token, signal) {
    const id = c.id;
    const auth = c.authenticated ? token : null;
    const json = (method, path, body) => this.#send(method, path, body === undefined ? undefined : JSON.stringify(body),
      JSON_TYPE, auth, signal).then((r) => r.json());
    const mls = (method, path) => this.#send(method, path, concat(c.messages), MLS_TYPE, auth, signal).then((r) => r.json());
    switch (c.kind) {
      case 'CHALLENGE': {
        const r = await json('POST', '/v1/challenges', { user: c.user, device: c.device });
        return { id, type: 'data', data: fromBase64(r.challenge) };
      }
      case 'REGISTER': {
        const r = await json('POST', '/v1/devices', {
          user: c.user, device: c.device, cipherSuite: c.cipherSuite, signatureKey: toBase64(c.signatureKey),
          credential: toBase64(c.credential), challenge: toBase64(c.challenge), signature: toBase64(c.signature),
          ...(c.linkTicket ? { linkTicket: c.linkTicket } : {}),
        });
        return { id, type: 'token', token: r.token, expiresAt: Number(r.expiresAt) };
      }
      case 'LOGIN': {
        const r = await json('POST', '/v1/tokens', {
          user: c.user, device: c.device, challenge: toBase64(c.challenge), signature: toBase64(c.signature),
        });
        return { id, type: 'token', token: r.token, expiresAt: Number(r.expiresAt) };
      }
      case 'UPLOAD_KEY_PACKAGES':
        return count(id, (await mls('POST', '/v1/key-packages')).count);
      case 'KEY_PACKAGE_COUNT':
        return count(id, await json('GET', '/v1/key-packages'));
      case 'CLAIM': {
        const r = await json('POST', `/v1/users/${encodeURIComponent(c.user)}/key-packages/claim`, { cipherSuites: [c.cipherSuite] });
        const claims = r.devices.map((d) => ({
          device: d.device, status: d.status, keyPackage: d.keyPackage ? fromBase64(d.keyPackage) : null,
        }));
        return { id, type: 'claims', claims };
      }
      case 'CREATE_GROUP':
        return accepted(id, await mls('PUT', groupPath(c)));
      case 'COMMIT':
        return accepted(id, await mls('POST', `${groupPath(c)}/commits`));
      case 'SEND':
        return accepted(id, await mls('POST', `${groupPath(c)}/messages`));
      case 'GROUP_INFO': {
        const r = await this.#send('GET', `${groupPath(c)}/group-info`, undefined, null, auth, signal);
        return { id, type: 'data', data: new Uint8Array(await r.arrayBuffer()) };
      }
      case 'ACK':
        await json('POST', '/v1/mailbox/ack', { upTo: c.after });
        return { id, type: 'done' };
      default:
        return failed(id, 'UNSUPPORTED', `unknown call ${c.kind}`);
    }
  }

  async #send(method, path, body, type, token, signal) {
    const headers = {};
    if (type && body !== undefined) headers['content-type'] = type;
    if (token) headers.authorization = `Bearer ${token}`;
    const r = await this.fetch(this.base + path, { method, headers, body, signal });
    if (r.ok) return r;
    let refusal = null;
    try {
      refusal = await r.json();
    } catch {
      // not the DS's JSON (a proxy's page): treated as no answer
    }
    if (refusal && typeof refusal.code === 'string') throw new DsRefusal(r.status, refusal);
    throw new Error(`HTTP ${r.status} without a DS error`);
  }

  /**
   * Asks the DS for a ticket that lets the new device `device` of this user register
   * (POST /v1/devices/link-tickets); rejects with an MlsError carrying the DS's code.
   */
  async linkTicket(token, device) {
    try {
      const r = await this.#send('POST', '/v1/devices/link-tickets', JSON.stringify({ device }), JSON_TYPE, token, undefined);
      const b = await r.json();
      return { user: b.user, device: b.device, ticket: b.ticket, expiresAt: Number(b.expiresAt) };
    } catch (e) {
      if (e instanceof DsRefusal) throw new MlsError(e.body.code, e.body.message);
      throw new MlsError('UNREACHABLE', e?.message ?? String(e));
    }
  }

  /**
   * Relays `payload` to the devices `to` names (POST /v1/relay): {seq, devices}. Rejects with an
   * MlsError carrying the DS's code, and its JSON body as `details` (NOT_FOUND names `to`).
   */
  async relay(token, to, payload) {
    try {
      const r = await this.#send('POST', '/v1/relay', JSON.stringify({ to, payload: toBase64(payload) }), JSON_TYPE, token, undefined);
      const b = await r.json();
      return { seq: Number(b.seq), devices: Number(b.devices) };
    } catch (e) {
      const err = e instanceof DsRefusal ? new MlsError(e.body.code, e.body.message) : new MlsError('UNREACHABLE', e?.message ?? String(e));
      err.details = e instanceof DsRefusal ? e.body : {};
      throw err;
    }
  }

  /**
   * Opens the mailbox socket from `after`. `on.entries(list)` (MLS messages), `on.relayed(list)`
   * (relayed payloads, optional) and `on.live(seq)` get its frames in order, `on.closed(reason)`
   * once, after the last frame (also when it never opened).
   */
  subscribe(after, token, on) {
    this.closeSocket();
    let done = false;
    const closed = (reason) => {
      if (done) return;
      done = true;
      if (this.socket === ws) this.socket = null;
      on.closed(reason);
    };
    let ws = null;
    try {
      if (typeof this.WebSocket !== 'function') {
        throw new Error('no WebSocket in this runtime (Node 20: --experimental-websocket, or pass the WebSocket option)');
      }
      const url = `${this.base.replace(/^http/, 'ws')}/v1/mailbox/ws?after=${after}&token=${encodeURIComponent(token ?? '')}`;
      ws = new this.WebSocket(url);
    } catch (e) {
      queueMicrotask(() => closed(`cannot open the mailbox socket: ${e?.message ?? e}`));
      return;
    }
    this.socket = ws;
    ws.onmessage = (m) => {
      if (done) return;
      let frame;
      try {
        frame = JSON.parse(typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data));
      } catch {
        ws.close();
        return;
      }
      if (frame.type === 'entries') {
        // relayed payloads (POST /v1/relay: mlskit/mmls) go to on.relayed; the engine reads MLS messages only
        const entries = frame.entries.filter((e) => e.relay === undefined);
        if (entries.length > 0 && on.entries) on.entries(entries.map((e) => ({ seq: Number(e.seq), message: fromBase64(e.message) })));
        const relayed = frame.entries.filter((e) => e.relay !== undefined);
        if (relayed.length > 0 && on.relayed) on.relayed(relayed.map((e) => ({ seq: Number(e.seq), payload: fromBase64(e.relay), from: e.from })));
      } else if (frame.type === 'live') {
        on.live(Number(frame.seq));
      }
    };
    ws.onclose = (e) => closed(`mailbox socket closed: ${e?.code ?? ''} ${e?.reason ?? ''}`);
    ws.onerror = () => {
      // Browsers follow with a close event; Node 20's WebSocket does not when the connection or
      // the upgrade fails, so the error ends the subscription (once) itself. Closing comes after:
      // Node 20 may report another error from inside close().
      if (done) return;
      closed('mailbox socket failed');
      try {
        ws.close();
      } catch {
        // not open
      }
    };
  }

  /** Closes the mailbox socket (its close still ends the SUBSCRIBE call). */
  closeSocket() {
    const ws = this.socket;
    if (ws) ws.close();
  }

  /** Aborts every request in flight and the socket. */
  close() {
    for (const a of this.requests) a.abort(new Error('client closed'));
    this.closeSocket();
  }
}
