// The page's side of MlsClient.open({ worker }): the same async API, each call posted to the
// worker (worker.js) and answered there; events come back as messages.
import { MlsError } from '../errors.js';
import { Listeners } from './listeners.js';

function startWorker(worker) {
  if (typeof worker === 'function') return worker();
  if (typeof Worker !== 'function') throw new MlsError('UNSUPPORTED', 'no Web Worker in this runtime; open without { worker }');
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'mlskit-client' });
}

class RemoteClient {
  #worker;
  #calls = new Map();
  #next = 1;
  #listeners = new Listeners();
  #ready;
  #opened;

  constructor(worker) {
    this.#worker = worker;
    let readyResolve;
    this.#ready = new Promise((resolve) => {
      readyResolve = resolve;
    });
    this.#opened = new Promise((resolve, reject) => {
      worker.onmessage = ({ data: m }) => {
        if (m.type === 'opened') resolve();
        else if (m.type === 'failed') reject(new MlsError(m.error.code, m.error.message));
        else if (m.type === 'event') {
          if (m.name === 'ready') readyResolve();
          this.#listeners.emit(m.name, m.detail);
        } else if (m.type === 'result' || m.type === 'error') {
          const c = this.#calls.get(m.id);
          if (!c) return;
          this.#calls.delete(m.id);
          if (m.type === 'result') c.resolve(m.value);
          else c.reject(new MlsError(m.error.code, m.error.message));
        }
      };
    });
  }

  opened() {
    return this.#opened;
  }

  #call(method, ...args) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'call', id, method, args });
    });
  }

  on(event, listener) {
    this.#listeners.on(event, listener);
    return this;
  }

  off(event, listener) {
    this.#listeners.off(event, listener);
    return this;
  }

  ready() {
    return this.#ready;
  }

  createGroup() { return this.#call('createGroup'); }
  invite(group, user) { return this.#call('invite', group, user); }
  remove(group, user) { return this.#call('remove', group, user); }
  leave(group) { return this.#call('leave', group); }
  update(group) { return this.#call('update', group); }
  send(group, message) { return this.#call('send', group, message); }
  info() { return this.#call('info'); }
  linkTicket(device) { return this.#call('linkTicket', device); }
  groups() { return this.#call('groups'); }
  group(group) { return this.#call('group', group); }
  members(group) { return this.#call('members', group); }
  safetyNumber(group) { return this.#call('safetyNumber', group); }
  exportSecret(group, label, context, length) { return this.#call('exportSecret', group, label, context, length); }

  #closed = false;

  async close() {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#call('close');
    } finally {
      this.#worker.terminate();
      for (const c of this.#calls.values()) c.reject(new MlsError('INVALID_STATE', 'the client was closed'));
      this.#calls.clear();
    }
  }
}

/** Starts the worker, opens the client there with `options` (no functions: they cannot cross). */
export async function openInWorker(options) {
  if (options.storage !== undefined || options.fetch !== undefined || options.WebSocket !== undefined) {
    throw new MlsError('INVALID_ARGUMENT', 'in worker mode the worker makes its own storage and transport: '
      + 'pass storageName (and encrypt), not storage, fetch or WebSocket');
  }
  const worker = startWorker(options.worker);
  const remote = new RemoteClient(worker);
  const { worker: _, ...rest } = options;
  worker.postMessage({ type: 'open', options: rest });
  try {
    await remote.opened();
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return remote;
}
