// Runs in its own process: removes the runtime's crypto, then asks the harness for randomness.
delete globalThis.crypto;
if (typeof globalThis.crypto !== 'undefined') {
  console.error('could not remove globalThis.crypto');
  process.exit(2);
}
const { loadHarness } = await import('./harness.mjs');
const h = await loadHarness();
const codeOf = (f) => { try { f(); return 'no error'; } catch (e) { return e.code ?? String(e); } };
console.log(codeOf(() => h.randomBytes(16)), codeOf(() => h.generateSignaturePublicKey(1)));
