// Application messages through the npm package's JS API (dist/, as `mvn -pl js-bindings -am package`
// assembles it) in Node: encrypt 1 KiB, process one message, and both in turn, in a two-member
// group (message cost does not depend on the group's size). Compare with JMH's GroupOpsBench
// encrypt1k / decrypt1k / encryptDecrypt1k run the same hour: this VM's speed drifts.
//
//   "$(js-bindings/scripts/node24.sh)" js-bindings/scripts/message-bench.mjs [--build wasm-gc|js]
//       [--budget MS] [--rounds N] [--out FILE]
import * as mls from '../../dist/index.js';
import { fmt, measurer } from './bench-util.mjs';
import { option as opt, reporter } from './bench-node.mjs';

const build = opt('build', 'wasm-gc');
const measure = measurer(Number(opt('budget', 1000)), Number(opt('rounds', 5)));
const used = await mls.init({ build });
if (used !== build) throw new Error(`asked for ${build}, got ${used}`);

const OPTIONS = { handshake: 'public', paddingBlock: 0 };
const alice = mls.Client.create({ identity: 'alice' });
const bob = mls.Client.create({ identity: 'bob' });
const kp = bob.createKeyPackage();
const sender = mls.Group.create(alice, OPTIONS);
const add = sender.add([kp.message]);
sender.merge(add);
const receiver = mls.Group.join(bob, add.welcome, kp, OPTIONS);
const data = new Uint8Array(1024).fill(1);

const { print, start, end } = reporter(build);
start();
print('');
print('| operation | mean | best | runs/round |');
print('|---|---:|---:|---:|');
const row = (op, m) => print(`| ${op} | ${fmt(m.mean)} | ${fmt(m.best)} | ${m.iterations} |`);
const timed = (f) => (n) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f(i);
  return ((performance.now() - t0) * 1000) / n;
};
// The receiver sends what nobody reads; the sender's messages reach the receiver in order.
row('encrypt', measure(timed(() => receiver.encrypt(data))));
row('process', measure((n) => {
  const inbox = Array.from({ length: n }, () => sender.encrypt(data)); // at most a few thousand: within the ratchet's window
  return timed((i) => receiver.process(inbox[i]))(n);
}));
row('encrypt, then process', measure(timed(() => receiver.process(sender.encrypt(data)))));
end(opt('out', null));
