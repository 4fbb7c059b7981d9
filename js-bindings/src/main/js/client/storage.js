// Storage for the client's state: an async key -> bytes map ({get, put, delete, keys}, and
// optionally apply(changes) to write one step's changes together). The engine names the keys
// and the values are opaque bytes; nothing here assumes what they hold.
import { MlsError } from '../errors.js';
import { utf8 } from './bytes.js';

const SEALED_VERSION = 1;
const IV_BYTES = 12;

function copy(b) {
  return b === undefined || b === null ? undefined : new Uint8Array(b);
}

/** State kept in memory only (tests, or a client that starts afresh each time). */
export function memoryStorage() {
  const map = new Map();
  return {
    async get(key) {
      return copy(map.get(key));
    },
    async put(key, bytes) {
      map.set(key, new Uint8Array(bytes));
    },
    async delete(key) {
      map.delete(key);
    },
    async keys() {
      return [...map.keys()].sort();
    },
  };
}

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new MlsError('UNSUPPORTED', 'WebCrypto (crypto.subtle) is needed to encrypt the client state');
  return s;
}

/** A fresh AES-256-GCM key that cannot be exported (its bytes never reach JavaScript). */
export function generateStorageKey() {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/**
 * Wraps `inner` so every value is encrypted with AES-GCM under `key` (a CryptoKey): stored as
 * version (1) | 12-byte random IV | ciphertext and tag, with the key name as additional data,
 * so a value moved to another key does not decrypt. A value that fails to decrypt is a
 * DECRYPTION_FAILED error.
 */
export function sealedStorage(inner, key) {
  const seal = async (name, bytes) => {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: utf8(name) }, key, bytes));
    const out = new Uint8Array(1 + IV_BYTES + ct.length);
    out[0] = SEALED_VERSION;
    out.set(iv, 1);
    out.set(ct, 1 + IV_BYTES);
    return out;
  };
  return {
    async get(name) {
      const b = await inner.get(name);
      if (b === undefined || b === null) return undefined;
      if (b.length < 1 + IV_BYTES + 16 || b[0] !== SEALED_VERSION) {
        throw new MlsError('MALFORMED', `stored value ${name} is not sealed client state`);
      }
      try {
        const iv = b.subarray(1, 1 + IV_BYTES);
        return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: utf8(name) }, key,
          b.subarray(1 + IV_BYTES)));
      } catch (e) {
        throw new MlsError('DECRYPTION_FAILED', `stored value ${name} does not decrypt under this storage key`, { cause: e });
      }
    },
    async put(name, bytes) {
      await inner.put(name, await seal(name, bytes));
    },
    delete: (name) => inner.delete(name),
    keys: () => inner.keys(),
    async apply(changes) {
      const sealed = [];
      for (const [name, bytes] of changes) sealed.push([name, bytes === null ? null : await seal(name, bytes)]);
      if (typeof inner.apply === 'function') return inner.apply(sealed);
      for (const [name, bytes] of sealed) {
        if (bytes === null) await inner.delete(name);
        else await inner.put(name, bytes);
      }
      return undefined;
    },
    close: () => inner.close?.(),
  };
}
