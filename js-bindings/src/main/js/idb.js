// A small IndexedDB store for mlskit state (Client, KeyPackage and Group save() bytes) in
// browsers and workers: one object store of Uint8Array values under string keys.

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Opens (creating if needed) database `name` with one object store `store`. */
export async function openStateStore(name = 'mlskit', store = 'state') {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this runtime');
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(store);
  const db = await request(open);
  const tx = (mode, fn) => {
    const t = db.transaction(store, mode);
    const r = fn(t.objectStore(store));
    return new Promise((resolve, reject) => {
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  };
  return {
    /** The bytes saved under `key`, or undefined. */
    async get(key) {
      const v = await tx('readonly', (s) => s.get(key));
      return v === undefined ? undefined : new Uint8Array(v);
    },
    /** Saves a copy of `bytes` under `key`. */
    async put(key, bytes) {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('state must be a Uint8Array');
      await tx('readwrite', (s) => s.put(bytes.slice(), key));
    },
    async delete(key) {
      await tx('readwrite', (s) => s.delete(key));
    },
    /** All keys, sorted. */
    async keys() {
      return (await tx('readonly', (s) => s.getAllKeys())).map(String);
    },
    close() {
      db.close();
    },
  };
}
