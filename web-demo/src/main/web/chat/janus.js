// A minimal client of the Janus API over HTTP (long poll): sessions, plugin handles, plugin
// requests whose answers arrive as events, unsolicited events per handle, and keepalives.
// The one Janus client of the repository: the chat app's call (chat/call.js) imports it, and
// e2e-tests' PackageSite copies it next to the package test pages as janus-client.js.

const KEEPALIVE_MS = 25_000; // Janus drops a session after 60 s without a request (session_timeout)

export class Janus {
  constructor(url) {
    this.url = url;
    this.session = null;
    this.pending = new Map(); // transaction -> {resolve, reject}
    this.listeners = new Map(); // handle -> fn(event)
    this.closed = false;
    this.tx = 0;
    this.keepalive = null;
  }

  async post(path, body) {
    const transaction = `t${++this.tx}-${Math.floor(performance.now())}`;
    const res = await fetch(this.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, transaction }) });
    return { r: await res.json(), transaction };
  }

  async connect() {
    const { r } = await this.post('', { janus: 'create' });
    if (r.janus !== 'success') throw new Error(`janus create: ${JSON.stringify(r)}`);
    this.session = r.data.id;
    this.poll();
    this.keepalive = setInterval(() => this.post(`/${this.session}`, { janus: 'keepalive' }).catch(() => {}), KEEPALIVE_MS);
    return this;
  }

  async poll() {
    while (!this.closed) {
      let events;
      try {
        const res = await fetch(`${this.url}/${this.session}?maxev=10&rid=${Date.now()}`);
        events = await res.json();
      } catch (e) {
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const ev of Array.isArray(events) ? events : [events]) this.dispatch(ev);
    }
  }

  dispatch(ev) {
    if (ev.janus === 'keepalive') return;
    const p = ev.transaction && this.pending.get(ev.transaction);
    if (p && ev.janus !== 'ack') {
      this.pending.delete(ev.transaction);
      const data = ev.plugindata?.data;
      if (ev.janus === 'error' || data?.error_code) p.reject(new JanusError(ev.error ?? data));
      else p.resolve({ data, jsep: ev.jsep });
      return;
    }
    this.listeners.get(ev.sender)?.(ev);
  }

  async attach(plugin, onEvent) {
    const { r } = await this.post(`/${this.session}`, { janus: 'attach', plugin });
    if (r.janus !== 'success') throw new Error(`janus attach: ${JSON.stringify(r)}`);
    const handle = r.data.id;
    if (onEvent) this.listeners.set(handle, onEvent);
    return handle;
  }

  /** Detaches a plugin handle (ends its PeerConnection at Janus); errors are ignored. */
  async detach(handle) {
    this.listeners.delete(handle);
    await this.post(`/${this.session}/${handle}`, { janus: 'detach' }).catch(() => {});
  }

  /** A plugin request; resolves with {data, jsep} (synchronous answers and events alike). */
  async request(handle, body, jsep) {
    const transaction = `t${++this.tx}-${Math.floor(performance.now())}`;
    const wait = new Promise((resolve, reject) => this.pending.set(transaction, { resolve, reject }));
    const res = await fetch(`${this.url}/${this.session}/${handle}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ janus: 'message', body, transaction, ...(jsep ? { jsep } : {}) }),
    });
    const r = await res.json();
    if (r.janus === 'success') {
      this.pending.delete(transaction);
      const data = r.plugindata?.data;
      if (data?.error_code) throw new JanusError(data);
      return { data, jsep: r.jsep };
    }
    if (r.janus !== 'ack') {
      this.pending.delete(transaction);
      throw new JanusError(r.error ?? r);
    }
    return wait;
  }

  async destroy() {
    this.closed = true;
    clearInterval(this.keepalive);
    if (this.session) await this.post(`/${this.session}`, { janus: 'destroy' }).catch(() => {});
  }
}

/** A refusal by Janus or its plugin; `code` is Janus's error code (e.g. VideoRoom's 427: room exists). */
export class JanusError extends Error {
  constructor(detail) {
    super(`janus: ${JSON.stringify(detail)}`);
    this.name = 'JanusError';
    this.code = detail?.error_code ?? detail?.code ?? null;
  }
}
