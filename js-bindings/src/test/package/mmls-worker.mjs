// A Multi-MLS peer in a worker thread for mmls.test.mjs: bob, restored from the state the test
// made, on a BroadcastChannel; it answers each message with "pong <message>".
import { parentPort, workerData } from 'node:worker_threads';
import * as mls from 'mlskit';
import { MmlsSession, MmlsPeer, BroadcastChannelTransport } from 'mlskit/mmls';

await mls.init({ build: workerData.build });
const session = MmlsSession.load(workerData.state);
const peer = new MmlsPeer(session, new BroadcastChannelTransport(workerData.channel), { antiEntropyInterval: 100 });
peer.on('joined', () => parentPort.postMessage('joined'));
peer.on('message', (e) => {
  peer.send(`pong ${new TextDecoder().decode(e.data)}`).catch((err) => parentPort.postMessage(`error ${err.message}`));
});
await peer.start(workerData.keyPackages);
