// mlskit/client/worker: the module Web Worker that runs a client's engine off the page's main
// thread (MlsClient.open({ worker: true }) starts it). The page talks to it by postMessage
// (remote.js): 'open' once, then 'call's of the client's methods; the worker posts back results
// and every client event. Crypto and storage happen here, so the page never blocks on them.
import { MlsClient } from './index.js';
import { indexedDbStorage } from './idb-storage.js';

const METHODS = new Set(['createGroup', 'invite', 'remove', 'leave', 'update', 'send', 'info', 'linkTicket', 'groups',
  'group', 'members', 'safetyNumber', 'exportSecret', 'ready']);
const EVENTS = ['ready', 'joined', 'message', 'members', 'epoch', 'removed', 'error', 'sent'];

function wireError(e) {
  return { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: String(e?.message ?? e) };
}

/**
 * Serves one client over `scope` (an object with postMessage and onmessage, such as a worker's
 * `self`). `openStorage(options)` makes the storage (default: encrypted IndexedDB named
 * options.storageName or "mlskit-client/USER/DEVICE").
 */
export function serve(scope, { openStorage } = {}) {
  let client = null;
  let opening = null;
  const post = (m) => scope.postMessage(m);
  scope.onmessage = async ({ data: m }) => {
    if (m?.type === 'open') {
      if (opening) return;
      opening = (async () => {
        try {
          const o = m.options;
          const storage = openStorage ? await openStorage(o)
            : await indexedDbStorage({ name: o.storageName ?? `mlskit-client/${o.user}/${o.device}`, encrypt: o.encrypt ?? true });
          client = await MlsClient.open({ ...o, worker: false, storage });
          for (const name of EVENTS) client.on(name, (detail) => post({ type: 'event', name, detail }));
          post({ type: 'opened' });
        } catch (e) {
          post({ type: 'failed', error: wireError(e) });
        }
      })();
      return;
    }
    if (m?.type !== 'call') return;
    try {
      await opening;
      if (client === null) throw Object.assign(new Error('the client is not open'), { code: 'INVALID_STATE' });
      let value;
      if (m.method === 'close') {
        await client.close();
        value = undefined;
      } else if (METHODS.has(m.method)) {
        value = await client[m.method](...m.args);
      } else {
        throw Object.assign(new Error(`no method ${m.method}`), { code: 'INVALID_ARGUMENT' });
      }
      post({ type: 'result', id: m.id, value });
    } catch (e) {
      post({ type: 'error', id: m.id, error: wireError(e) });
    }
  };
}

// As a module worker (browsers), serve at once.
if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) serve(globalThis);
