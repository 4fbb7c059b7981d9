// Runs one client engine (held by handle in the native layer): one step at a time in a queue,
// and for each step's output, in this order: persist what it asks (and wait until it is
// written), emit its events, perform its calls, arm its timer. Calls answer into the queue, so
// the engine never sees two inputs at once.
import { toMlsError } from '../errors.js';

export class EngineHost {
  /**
   * @param native the loaded native layer
   * @param handle the engine's handle
   * @param transport a Transport
   * @param storage the client storage ({get, put, delete, keys}, optional apply)
   * @param onEvent called with each engine event, after its step's state is saved
   * @param onFailure called once if the host stops (storage failed, engine bug)
   */
  constructor(native, handle, transport, storage, onEvent, onFailure) {
    this.native = native;
    this.handle = handle;
    this.transport = transport;
    this.storage = storage;
    this.onEvent = onEvent;
    this.onFailure = onFailure;
    this.tail = Promise.resolve();
    this.timer = null;
    this.timerAt = -1;
    this.closed = false;
  }

  /**
   * Queues one engine step: `fn(native, handle, now)` returns an output. `inspect(out)` runs
   * after the state is saved and before events and calls leave. Resolves to the output.
   */
  step(fn, inspect) {
    return this.#queue(async () => {
      let out;
      try {
        out = fn(this.native, this.handle, Date.now());
      } catch (e) {
        throw this.#fail(toMlsError(e));
      }
      try {
        await persist(this.storage, out.persist.keys, out.persist.values);
      } catch (e) {
        // The engine moved on but its state is not on disk: going on could lose or repeat what it sent.
        throw this.#fail(Object.assign(new Error(`saving the client state failed: ${e?.message ?? e}`, { cause: e }),
          { code: 'STORAGE_FAILED' }));
      }
      if (inspect) inspect(out);
      for (const ev of out.events) this.onEvent(ev);
      const needsToken = out.calls.some((c) => c.authenticated);
      const token = needsToken ? this.native.engineInfo(this.handle).token : null;
      for (const c of out.calls) this.#perform(c, token);
      if (out.wakeAt >= 0) this.#wake(out.wakeAt);
      return out;
    });
  }

  /** Queues a read of the engine, so it sees the state between steps. */
  read(fn) {
    return this.#queue(async () => {
      try {
        return fn(this.native, this.handle);
      } catch (e) {
        throw toMlsError(e);
      }
    });
  }

  #queue(body) {
    const run = this.tail.then(() => {
      if (this.closed) throw Object.assign(new Error('this client is closed'), { code: 'INVALID_STATE' });
      return body();
    });
    this.tail = run.catch(() => {});
    return run;
  }

  #fail(e) {
    if (!this.closed) {
      this.close();
      this.onFailure(e);
    }
    return e;
  }

  #answer(reply) {
    if (this.closed) return;
    this.step((n, h, now) => n.engineReply(h, now, reply)).catch(() => {});
  }

  #perform(c, token) {
    if (c.kind === 'SUBSCRIBE') {
      this.transport.subscribe(c.after, token, {
        entries: (list) => {
          if (!this.closed) this.step((n, h, now) => n.engineEntries(h, now, list)).catch(() => {});
        },
        live: (seq) => {
          if (!this.closed) this.step((n, h, now) => n.engineLive(h, now, seq)).catch(() => {});
        },
        closed: (reason) => this.#answer({ id: c.id, type: 'failed', code: 'UNREACHABLE', message: reason }),
      });
      return;
    }
    this.transport.request(c, token).then((r) => this.#answer(r));
  }

  /** One timer, at the earliest time asked; the tick then asks again for what is still ahead. */
  #wake(at) {
    if (this.closed || (this.timer !== null && this.timerAt <= at)) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = -1;
      if (!this.closed) this.step((n, h, now) => n.engineTick(h, now)).catch(() => {});
    }, Math.max(0, at - Date.now()));
  }

  /** Stops: no more steps, timers, requests or socket. Resolves when the last step has finished. */
  close() {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.transport.close();
    return this.tail;
  }
}

/** Writes one step's changes: keys[i] gets values[i], or is deleted when that is null. */
async function persist(storage, keys, values) {
  if (keys.length === 0) return;
  if (typeof storage.apply === 'function') {
    await storage.apply(keys.map((k, i) => [k, values[i]]));
    return;
  }
  for (let i = 0; i < keys.length; i++) {
    if (values[i] === null) await storage.delete(keys[i]);
    else await storage.put(keys[i], values[i]);
  }
}
