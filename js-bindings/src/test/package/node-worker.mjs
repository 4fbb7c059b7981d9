// A Node worker_threads stand-in for the browser's module Web Worker: serves mlskit/client over
// the thread's port the way mlskit/client/worker serves it over `self`, with directory storage.
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from 'mlskit/client/worker';
import { directoryStorage } from 'mlskit/client/node';

const scope = {
  postMessage: (m) => parentPort.postMessage(m),
  set onmessage(f) {
    parentPort.on('message', (data) => f({ data }));
  },
};
serve(scope, { openStorage: () => directoryStorage(workerData.dir) });
