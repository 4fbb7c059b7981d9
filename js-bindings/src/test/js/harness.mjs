// Loads the TeaVM test harness in the target named by MLSKIT_TARGET ("js" or "wasm-gc").
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const moduleRoot = path.resolve(here, '../../..');
export const target = process.env.MLSKIT_TARGET ?? 'js';

export async function loadHarness(which = target) {
  const out = path.join(moduleRoot, 'target/teavm');
  if (which === 'js') {
    return await import(pathToFileURL(path.join(out, 'js/mlskit-harness.js')).href);
  }
  if (which === 'wasm-gc') {
    const runtime = await import(pathToFileURL(path.join(out, 'wasm-gc/mlskit-harness.wasm-runtime.js')).href);
    const mod = await runtime.load(path.join(out, 'wasm-gc/mlskit-harness.wasm'), { nodejs: true });
    return mod.exports;
  }
  throw new Error(`unknown MLSKIT_TARGET ${which}`);
}

/** An official vector file from mls-core's test resources (the same files the JVM tests read). */
export function vectorFile(type) {
  const file = path.join(moduleRoot, '../mls-core/src/test/resources/vectors/mls', `${type}.json`);
  return JSON.parse(readFileSync(file, 'utf8'));
}
