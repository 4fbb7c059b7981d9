// mlskit/client starts its Web Worker as an ES module (it imports the package): Vite must emit
// workers as ES modules too (its default, iife, cannot hold a worker that imports modules).
// The JS fallback build is one ~1.5 MB chunk, loaded only where wasm-gc is missing: above
// Vite's 500 kB advisory by nature, so the limit is raised rather than the warning ignored.
export default { worker: { format: 'es' }, build: { chunkSizeWarningLimit: 2048 } };
