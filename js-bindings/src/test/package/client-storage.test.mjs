// mlskit/client's storage, without a DS: the sealed (AES-GCM) wrapper binds each value to its
// key and refuses tampering; the directory store keeps any key string, writes atomically and
// keeps its key file private; a client opened on another device's storage is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlsClient, generateStorageKey, memoryStorage, sealedStorage, safetyNumberOf } from 'mlskit/client';
import { directoryStorage } from 'mlskit/client/node';
import { build } from './setup.mjs';

const bytes = (...b) => new Uint8Array(b);

test('sealed storage: round trip, no plaintext, bound to its key name, tampering refused', async () => {
  const inner = memoryStorage();
  const key = await generateStorageKey();
  await assert.rejects(crypto.subtle.exportKey('raw', key), 'the storage key is not extractable');
  const s = sealedStorage(inner, key);
  const secret = new TextEncoder().encode('private key material');
  await s.put('device', secret);
  await s.apply([['group/aa', bytes(1, 2, 3)], ['gone', null]]);
  assert.deepEqual(await s.get('device'), secret);
  assert.deepEqual(await s.get('group/aa'), bytes(1, 2, 3));
  assert.equal(await s.get('missing'), undefined);
  assert.deepEqual(await s.keys(), ['device', 'group/aa']);
  const raw = await inner.get('device');
  assert.equal(raw[0], 1);
  assert.equal(Buffer.from(raw).indexOf('private key'), -1, 'no plaintext at rest');

  await inner.put('group/bb', raw); // moved to another key
  await assert.rejects(s.get('group/bb'), (e) => e.code === 'DECRYPTION_FAILED');
  const flipped = raw.slice();
  flipped[flipped.length - 1] ^= 1;
  await inner.put('device', flipped);
  await assert.rejects(s.get('device'), (e) => e.code === 'DECRYPTION_FAILED');
  await inner.put('device', bytes(2, 0, 0));
  await assert.rejects(s.get('device'), (e) => e.code === 'MALFORMED');
  const other = sealedStorage(inner, await generateStorageKey());
  await assert.rejects(other.get('group/aa'), (e) => e.code === 'DECRYPTION_FAILED');
});

test('directory storage: any key string, atomic files, a private key file, reopened with the same key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mlskit-store-'));
  try {
    const s = await directoryStorage(dir);
    const keys = ['device', 'group/0a1b', '../escape', '.', 'ü/ß', 'a%2Fb'];
    for (const [i, k] of keys.entries()) await s.put(k, bytes(i, 42));
    assert.deepEqual(await s.keys(), [...keys].sort());
    for (const [i, k] of keys.entries()) assert.deepEqual(await s.get(k), bytes(i, 42));
    const files = await readdir(dir);
    assert.ok(files.every((f) => f === '.storage-key' || (f.endsWith('.bin') && !f.includes('/'))), files.join(' '));
    assert.ok(!files.some((f) => f.endsWith('.tmp')), 'no temporary file left');
    assert.equal((await stat(join(dir, '.storage-key'))).mode & 0o777, 0o600);
    await s.delete('../escape');
    await s.apply([['device', bytes(9)], ['.', null]]);
    const again = await directoryStorage(dir);
    assert.deepEqual(await again.get('device'), bytes(9));
    assert.equal(await again.get('.'), undefined);
    assert.equal((await again.keys()).length, keys.length - 2);
    await writeFile(join(dir, '.storage-key'), crypto.getRandomValues(new Uint8Array(32)));
    const wrongKey = await directoryStorage(dir);
    await assert.rejects(wrongKey.get('device'), (e) => e.code === 'DECRYPTION_FAILED');
    const plain = await directoryStorage(join(dir, 'plain'), { encrypt: false });
    await plain.put('k', bytes(7));
    assert.deepEqual(new Uint8Array(await readFile(join(dir, 'plain', 'k.bin'))), bytes(7));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a client refuses storage that holds another device, and bad arguments', async () => {
  const storage = memoryStorage();
  // Nothing listens on port 9: the client saves its new device, then finds the DS unreachable.
  const alice = await MlsClient.open({ server: 'http://127.0.0.1:9', user: 'alice', device: 'laptop', build, storage, keyPackages: 2 });
  try {
    assert.ok((await storage.keys()).length > 0, 'the new device is saved before anything is sent');
    assert.deepEqual((await alice.info()).ready, false);
    await assert.rejects(alice.send('00ff', 'x'), (e) => e.code === 'NOT_FOUND');
    await assert.rejects(alice.invite('not hex', 'bob'), (e) => e.code === 'INVALID_ARGUMENT');
    await assert.rejects(alice.send('00ff', 42), (e) => e.code === 'INVALID_ARGUMENT');
  } finally {
    await alice.close();
  }
  await assert.rejects(alice.groups(), (e) => e.code === 'INVALID_STATE');
  await assert.rejects(MlsClient.open({ server: 'http://127.0.0.1:9', user: 'bob', device: 'phone', build, storage }),
    (e) => e.code === 'INVALID_STATE');
  const back = await MlsClient.open({ server: 'http://127.0.0.1:9', user: 'alice', device: 'laptop', build, storage });
  assert.equal((await back.info()).user, 'alice');
  await back.close();
  for (const bad of [{ server: 'ftp://x', user: 'a', device: 'b' }, { server: 'http://x', user: 'a/b', device: 'c' },
    { server: 'http://x', user: 'a', device: '' }]) {
    await assert.rejects(MlsClient.open({ ...bad, storage: memoryStorage() }), (e) => e.code === 'INVALID_ARGUMENT');
  }
});

test('safety numbers: 8 groups of 5 digits, equal for equal authenticators only', () => {
  const a = new Uint8Array(32).fill(7);
  const b = a.slice();
  b[31] ^= 1;
  assert.match(safetyNumberOf(a), /^(\d{5} ){7}\d{5}$/);
  assert.equal(safetyNumberOf(a), safetyNumberOf(a.slice()));
  assert.notEqual(safetyNumberOf(a), safetyNumberOf(b));
});
