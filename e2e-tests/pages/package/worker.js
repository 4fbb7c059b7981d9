// Module worker: runs one step of flow.js on request and posts the result.
import { run } from './flow.js';

self.onmessage = async (event) => {
  const { build, step, dbName } = event.data;
  self.postMessage(await run(build, step, dbName));
};
