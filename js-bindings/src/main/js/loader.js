// Finds and loads the native layer: the wasm-gc build where the runtime has WasmGC and exnref,
// else the JavaScript build.
import { MlsError, ErrorCode } from './errors.js';

// The smallest modules that validate only with WasmGC (a struct type) and with exnref (try_table).
const GC_PROBE = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 3, 1, 0x5f, 0];
const EXNREF_PROBE = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x1f, 0x40, 0, 0x0b, 0x0b];

/** Whether this runtime can run the wasm-gc build (WasmGC and exnref). */
export function wasmGcSupported() {
  try {
    return typeof WebAssembly === 'object'
      && WebAssembly.validate(new Uint8Array(GC_PROBE))
      && WebAssembly.validate(new Uint8Array(EXNREF_PROBE));
  } catch {
    return false;
  }
}

async function wasmSource(url) {
  if (url.protocol === 'file:') {
    // A computed specifier: bundlers leave this Node-only read alone instead of warning about it.
    const fsModule = ['node', 'fs/promises'].join(':');
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    return readFile(url);
  }
  if (typeof process === 'undefined') return url.href; // the runtime streams it with fetch
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function loadWasmGc() {
  const runtime = await import('./wasm-gc/mlskit.wasm-runtime.js');
  const source = await wasmSource(new URL('./wasm-gc/mlskit.wasm', import.meta.url));
  return (await runtime.load(source, {})).exports;
}

async function loadJs() {
  return await import('./js/mlskit.js');
}

/** Loads the build asked for ('auto', 'wasm-gc' or 'js'); resolves to {build, native}. */
export async function loadNative(build) {
  if (build === 'js') return { build: 'js', native: await loadJs() };
  if (build === 'wasm-gc') {
    if (!wasmGcSupported()) {
      throw new MlsError(ErrorCode.UNSUPPORTED, 'this runtime lacks WasmGC or exnref, which the wasm-gc build needs');
    }
    return { build: 'wasm-gc', native: await loadWasmGc() };
  }
  if (build !== 'auto') {
    throw new MlsError(ErrorCode.INVALID_ARGUMENT, `build must be 'auto', 'wasm-gc' or 'js', not ${String(build)}`);
  }
  if (wasmGcSupported()) {
    try {
      return { build: 'wasm-gc', native: await loadWasmGc() };
    } catch {
      // A runtime that validates the probes but cannot instantiate the module: use the JS build.
    }
  }
  return { build: 'js', native: await loadJs() };
}
