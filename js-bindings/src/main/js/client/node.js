// mlskit/client/node: client storage in a directory, for Node. Kept apart from mlskit/client so
// that no `node:` import is reachable from the browser entry.
//
// Layout: one file per key (the key percent-encoded, so any string is a safe file name), each
// written to a temporary file, flushed and renamed over the old one, so a crash leaves either
// the old or the new value. With `encrypt` (the default) values are sealed with AES-256-GCM
// under a key kept in DIR/.storage-key (32 random bytes, mode 0600, made on first use); it is
// imported as a non-extractable CryptoKey. Whoever can read that file can read the state:
// keep the directory private, or keep the key elsewhere and pass it as `key`.
import { link, mkdir, open, readFile, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MlsError } from '../errors.js';
import { sealedStorage } from './storage.js';

const KEY_FILE = '.storage-key';
const SUFFIX = '.bin';

function fileOf(key) {
  // Everything but [A-Za-z0-9_-] percent-encoded ('.' too, so no name is '.' or '..').
  return Array.from(new TextEncoder().encode(key), (b) => (
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2d
      ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('') + SUFFIX;
}

function keyOf(file) {
  return decodeURIComponent(file.slice(0, -SUFFIX.length));
}

async function writeAtomically(dir, file, bytes, mode) {
  const tmp = join(dir, `.${file}.${crypto.randomUUID()}.tmp`);
  const h = await open(tmp, 'w', mode);
  try {
    await h.writeFile(bytes);
    await h.datasync();
  } finally {
    await h.close();
  }
  await rename(tmp, join(dir, file));
}

async function syncDir(dir) {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // not every platform syncs directories
  }
}

/** The directory as plain (unencrypted) storage. */
async function plainDirectory(dir) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return {
    async get(key) {
      try {
        return new Uint8Array(await readFile(join(dir, fileOf(key))));
      } catch (e) {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async put(key, bytes) {
      await this.apply([[key, bytes]]);
    },
    async delete(key) {
      await this.apply([[key, null]]);
    },
    async keys() {
      return (await readdir(dir)).filter((f) => f.endsWith(SUFFIX) && !f.startsWith('.')).map(keyOf).sort();
    },
    async apply(changes) {
      for (const [key, bytes] of changes) {
        if (bytes === null) await rm(join(dir, fileOf(key)), { force: true });
        else await writeAtomically(dir, fileOf(key), bytes, 0o600);
      }
      await syncDir(dir);
    },
  };
}

async function keyFile(dir) {
  const path = join(dir, KEY_FILE);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  const h = await open(tmp, 'w', 0o600);
  try {
    await h.writeFile(raw);
    await h.datasync();
  } finally {
    await h.close();
  }
  try {
    // link, not rename: if another process made the key meanwhile, keep theirs
    await link(tmp, path);
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return new Uint8Array(await readFile(path));
}

/**
 * Client storage in directory `dir` (created if needed). Options: `encrypt` (default true),
 * `key` (a CryptoKey for AES-GCM to use instead of the key file).
 */
export async function directoryStorage(dir, { encrypt = true, key } = {}) {
  if (typeof dir !== 'string' || dir === '') throw new MlsError('INVALID_ARGUMENT', 'dir must be a directory path');
  const plain = await plainDirectory(dir);
  if (!encrypt) return plain;
  let k = key;
  if (k === undefined) {
    const raw = await keyFile(dir);
    if (raw.length !== 32) throw new MlsError('MALFORMED', `${join(dir, KEY_FILE)} is not a 32-byte key`);
    k = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    raw.fill(0);
  }
  return sealedStorage(plain, k);
}
