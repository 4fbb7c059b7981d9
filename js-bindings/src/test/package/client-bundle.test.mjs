// mlskit/client as a bundler sees it: every module reachable from the browser entries
// (mlskit/client, mlskit/client/worker) by static or dynamic import, and none of them names a
// `node:` module (the core's two wasm file reads for file: URLs in Node, in loader.js and TeaVM's
// wasm-gc runtime, use a computed specifier that bundlers leave alone; e2e ViteAppTest bundles it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const pkg = dirname(createRequire(import.meta.url).resolve('mlskit/package.json'));
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)['"]([^'"]+)['"]/g;

async function reachable(entry) {
  const seen = new Map();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    const source = await readFile(file, 'utf8');
    const specifiers = [...source.matchAll(IMPORT)].map((m) => m[1]);
    seen.set(file, specifiers);
    for (const s of specifiers) {
      if (s.startsWith('.') && s.endsWith('.js')) todo.push(join(dirname(file), s));
    }
  }
  return seen;
}

test('no node: module is reachable from the browser entries of mlskit/client', async () => {
  for (const entry of ['dist/client/index.js', 'dist/client/worker.js']) {
    const files = await reachable(join(pkg, entry));
    const names = [...files.keys()].map((f) => relative(pkg, f));
    assert.ok(names.includes('dist/client/transport.js') && names.includes('dist/index.js'), names.join(' '));
    assert.ok(!names.includes('dist/client/node.js'), 'the Node storage is a separate entry');
    for (const [file, specifiers] of files) {
      const node = specifiers.filter((s) => s.startsWith('node:'));
      assert.deepEqual(node, [], `${relative(pkg, file)} imports ${node}`);
    }
  }
});
