// Before init(): every call says to initialise first; init rejects unknown builds.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as mls from 'mlskit';

test('before init nothing runs, and a bad build name is refused', async () => {
  assert.equal(mls.currentBuild(), null);
  for (const fn of [() => mls.Client.create({ identity: 'a' }), () => mls.cipherSuites(), () => mls.liveObjects()]) {
    assert.throws(fn, (e) => e instanceof mls.MlsError && e.code === 'INVALID_STATE');
  }
  await assert.rejects(mls.init({ build: 'fast' }), (e) => e instanceof mls.MlsError && e.code === 'INVALID_ARGUMENT');
  assert.equal(mls.currentBuild(), null);
  const build = process.env.MLSKIT_BUILD ?? 'js';
  if (build === 'js') {
    // Node 20 has no WasmGC: asking for wasm-gc explicitly is UNSUPPORTED, and 'auto' falls back to js.
    await assert.rejects(mls.init({ build: 'wasm-gc' }), (e) => e instanceof mls.MlsError && e.code === 'UNSUPPORTED');
    assert.equal(await mls.init(), 'js');
  } else {
    assert.equal(await mls.init(), 'wasm-gc');
  }
  assert.equal(mls.currentBuild(), build);
  assert.equal(mls.Client.create({ identity: 'a' }).cipherSuite, 1);
});
