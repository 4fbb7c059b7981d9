// init, builds, cipher suites, clients and KeyPackages through the packed package.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mls, build, client, throwsCode, text, sameBytes } from './setup.mjs';

test('init loads the requested build and refuses a different one later', async () => {
  assert.equal(mls.currentBuild(), build);
  assert.equal(mls.wasmGcSupported(), build === 'wasm-gc');
  assert.equal(await mls.init(), build);
  assert.equal(await mls.init({ build }), build);
  const other = build === 'js' ? 'wasm-gc' : 'js';
  await assert.rejects(mls.init({ build: other }), (e) => e instanceof mls.MlsError && e.code === 'INVALID_STATE');
});

test('the package exposes its entry points through the exports map', async () => {
  const pkg = (await import('mlskit/package.json', { with: { type: 'json' } })).default;
  assert.equal(pkg.name, 'mlskit');
  assert.equal(pkg.private, undefined);
  const idb = await import('mlskit/idb');
  assert.equal(typeof idb.openStateStore, 'function');
  // No IndexedDB in Node: the helper says so instead of failing obscurely.
  await assert.rejects(idb.openStateStore(), /IndexedDB is not available/);
  const mmls = await import('mlskit/mmls');
  assert.equal(typeof mmls.MmlsPeer, 'function');
});

test('cipherSuites lists the seven RFC suites', () => {
  const suites = mls.cipherSuites();
  assert.deepEqual(suites.map((s) => s.id), [1, 2, 3, 4, 5, 6, 7]);
  assert.match(suites[0].name, /^MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519$/);
});

test('ErrorCode names the stable codes', () => {
  assert.equal(mls.ErrorCode.WRONG_EPOCH, 'WRONG_EPOCH');
  assert.ok(Object.isFrozen(mls.ErrorCode));
  const e = new mls.MlsError('MALFORMED', 'x');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'MlsError');
});

test('a client has a basic credential, a suite and a signature key, and round-trips through save/load', () => {
  const alice = mls.Client.create({ identity: 'alice' });
  assert.equal(alice.cipherSuite, 1);
  assert.equal(text.decode(alice.identity), 'alice');
  assert.equal(alice.credential.type, 'basic');
  assert.equal(alice.signaturePublicKey.length, 32);
  const again = mls.Client.load(alice.save());
  sameBytes(again.signaturePublicKey, alice.signaturePublicKey);
  sameBytes(again.save(), alice.save());
  const bytesId = mls.Client.create({ identity: new Uint8Array([1, 2, 3]), cipherSuite: 3 });
  assert.equal(bytesId.cipherSuite, 3);
  assert.deepEqual(Array.from(bytesId.identity), [1, 2, 3]);
});

test('clients in the P-256 suite work too', () => {
  const p = client('p256', 2);
  assert.equal(p.cipherSuite, 2);
  const kp = p.createKeyPackage();
  assert.equal(mls.KeyPackage.inspect(kp.message).cipherSuite, 2);
});

test('KeyPackages: message, inspect, last resort, lifetime, save/load', () => {
  const bob = client('bob');
  const kp = bob.createKeyPackage();
  const info = mls.KeyPackage.inspect(kp.message);
  sameBytes(info.message, kp.message);
  assert.equal(info.cipherSuite, 1);
  assert.equal(text.decode(info.credential.identity), 'bob');
  sameBytes(info.signatureKey, bob.signaturePublicKey);
  assert.equal(info.lastResort, false);
  assert.equal(kp.lastResort, false);
  assert.equal(kp.cipherSuite, 1);
  assert.equal(text.decode(kp.credential.identity), 'bob');
  const now = Date.now() / 1000;
  assert.ok(info.notBefore < now && info.notAfter > now + 80 * 86400);
  assert.deepEqual(kp.info().notAfter, info.notAfter);

  const lr = bob.createKeyPackage({ lastResort: true, notBefore: 1000, notAfter: 2 ** 40 });
  const lrInfo = lr.info();
  assert.equal(lrInfo.lastResort, true);
  assert.equal(lrInfo.notBefore, 1000);
  assert.equal(lrInfo.notAfter, 2 ** 40);

  const loaded = mls.KeyPackage.load(kp.save());
  sameBytes(loaded.message, kp.message);
});

test('an expired KeyPackage fails inspection with EXPIRED', () => {
  const old = client('old').createKeyPackage({ notBefore: 1000, notAfter: 2000 });
  throwsCode(() => mls.KeyPackage.inspect(old.message), 'EXPIRED');
});

test('free releases native objects; a freed object is INVALID_STATE', () => {
  const before = mls.liveObjects();
  const c = client('temp');
  const kp = c.createKeyPackage();
  assert.equal(mls.liveObjects(), before + 2);
  kp.free();
  kp.free();
  c.free();
  assert.equal(mls.liveObjects(), before);
  throwsCode(() => c.save(), 'INVALID_STATE');
  throwsCode(() => c.createKeyPackage(), 'INVALID_STATE');
  throwsCode(() => mls.Group.create(c), 'INVALID_STATE');
});

test("the package's npm README shows the examples the tests type-check and run", async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('./node_modules/mlskit/README.md', import.meta.url), 'utf8');
  const code = (file) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')
    .split('\n').filter((l) => !l.startsWith('//')).join('\n').replace(/^\n+/, '');
  for (const [section, file] of [['### Three members', 'three-members.ts'], ['## A chat client', 'chat-client.ts'],
    ['## Without an ordering server', 'multi-mls.ts']]) {
    const block = readme.match(new RegExp(`${section}[\\s\\S]*?\`\`\`ts\n([\\s\\S]*?)\`\`\``));
    assert.ok(block, `README has the section ${section}`);
    assert.equal(block[1], code(file));
  }
  for (const heading of ['## Runtimes', '### When the client saves its state', 'Save a group after every call that changes it',
    '## License']) {
    assert.ok(readme.includes(heading), heading);
  }
  assert.ok(!readme.includes('bin/mlskit test'), 'the npm README is for users, not the repository');
  const license = readFileSync(new URL('./node_modules/mlskit/LICENSE', import.meta.url), 'utf8');
  assert.match(license, /Apache License\s+Version 2\.0/);
  const pkg = JSON.parse(readFileSync(new URL('./node_modules/mlskit/package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.scripts, undefined, 'no repository-only scripts in the published package.json');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.ok(pkg.repository?.url && pkg.homepage, 'repository and homepage');
});
