// SFrame frame encryption and decryption (org.mlskit.sframe.SFrameBench, the case JMH's
// FrameBench measures on the JVM) inside a TeaVM output of the harness, in Node, printed as a
// markdown table: per cipher suite, a 100-byte audio frame and a 6,250-byte 720p frame.
//
//   node=$(js-bindings/scripts/node24.sh)
//   "$node" js-bindings/scripts/sframe-bench.mjs [--target wasm-gc|js] [--budget MS] [--rounds N]
//       [--suites 1,2,3,4,5,6,7,8] [--sizes 100,6250] [--out FILE]
import { loadHarness } from '../src/test/js/harness.mjs';
import { fmt, measurer } from './bench-util.mjs';
import { option as opt, reporter } from './bench-node.mjs';

const target = opt('target', 'wasm-gc');
const measure = measurer(Number(opt('budget', 500)), Number(opt('rounds', 3)));
const suites = opt('suites', '1,2,3,4,5,6,7,8').split(',').map(Number);
const sizes = opt('sizes', '100,6250').split(',').map(Number);
const out = opt('out', null);
const NAMES = {
  1: 'AES_128_CTR_HMAC_SHA256_80', 2: 'AES_128_CTR_HMAC_SHA256_64', 3: 'AES_128_CTR_HMAC_SHA256_32',
  4: 'AES_128_GCM_SHA256_128', 5: 'AES_256_GCM_SHA512_128',
  6: 'AES_256_CTR_HMAC_SHA512_80', 7: 'AES_256_CTR_HMAC_SHA512_64', 8: 'AES_256_CTR_HMAC_SHA512_32',
};

const h = await loadHarness(target);
const { print, start, end } = reporter(target);
start();
print('');
// Warm every case up first, so the first row is not measured while V8 is still compiling.
for (const suite of suites) {
  for (const size of sizes) {
    for (const op of ['encrypt', 'decrypt']) {
      const t0 = performance.now();
      while (performance.now() - t0 < 100) {
        h.sframeBench(suite, size, op, 10);
      }
    }
  }
}
print('| suite | frame bytes | encrypt mean | encrypt best | decrypt mean | decrypt best |');
print('|---|---:|---:|---:|---:|---:|');
for (const suite of suites) {
  for (const size of sizes) {
    const enc = measure((n) => h.sframeBench(suite, size, 'encrypt', n));
    const dec = measure((n) => h.sframeBench(suite, size, 'decrypt', n));
    print(`| ${suite} ${NAMES[suite]} | ${size} | ${fmt(enc.mean)} | ${fmt(enc.best)} | ${fmt(dec.mean)} | ${fmt(dec.best)} |`);
  }
}
print('');
end(out);
