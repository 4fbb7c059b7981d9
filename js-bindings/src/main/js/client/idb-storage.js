// Client state in IndexedDB (browsers and workers): one database per device with a store of
// values and a store holding the non-extractable AES-GCM CryptoKey that seals them (IndexedDB
// keeps a CryptoKey as a structured clone, without ever exposing its bytes). One step's changes
// are written in one transaction.
import { MlsError } from '../errors.js';
import { generateStorageKey, sealedStorage } from './storage.js';

const STATE = 'state';
const KEYS = 'keys';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(t) {
  return new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * Opens (creating if needed) the IndexedDB database `name` as client storage. With `encrypt`
 * (the default) values are sealed under a CryptoKey made on first use and kept in the same
 * database; `encrypt: false` stores them as they are.
 */
export async function indexedDbStorage({ name = 'mlskit-client', encrypt = true } = {}) {
  if (typeof indexedDB === 'undefined') {
    throw new MlsError('UNSUPPORTED', 'IndexedDB is not available here; pass a storage (Node: directoryStorage from mlskit/client/node)');
  }
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(STATE);
    open.result.createObjectStore(KEYS);
  };
  const db = await request(open);
  const plain = {
    async get(key) {
      const t = db.transaction(STATE, 'readonly');
      const v = await request(t.objectStore(STATE).get(key));
      return v === undefined ? undefined : new Uint8Array(v);
    },
    async put(key, bytes) {
      await this.apply([[key, bytes]]);
    },
    async delete(key) {
      await this.apply([[key, null]]);
    },
    async keys() {
      const t = db.transaction(STATE, 'readonly');
      return (await request(t.objectStore(STATE).getAllKeys())).map(String).sort();
    },
    async apply(changes) {
      const t = db.transaction(STATE, 'readwrite');
      const s = t.objectStore(STATE);
      for (const [key, bytes] of changes) {
        if (bytes === null) s.delete(key);
        else s.put(bytes.slice(), key);
      }
      await done(t);
    },
    close() {
      db.close();
    },
  };
  if (!encrypt) return plain;
  let key = await request(db.transaction(KEYS, 'readonly').objectStore(KEYS).get('state'));
  if (key === undefined) {
    const fresh = await generateStorageKey();
    const t = db.transaction(KEYS, 'readwrite');
    const store = t.objectStore(KEYS);
    // Another tab may have made one meanwhile: keep the first.
    const existing = await request(store.get('state'));
    if (existing === undefined) store.put(fresh, 'state');
    await done(t);
    key = existing ?? fresh;
  }
  return sealedStorage(plain, key);
}
