// mlskit self-test and benchmark page.
//
// Loads both TeaVM outputs of js-bindings' harness (served by the delivery service at /mlskit/js/
// and /mlskit/wasm-gc/), verifies the official MLS vector files (/vectors/mls/NAME.json) in each,
// and, when the URL says ?bench=1, times every primitive benchmark in each.
//
// URL parameters:
//   bench=1            also run the benchmarks (off by default so the page loads fast)
//   vectors=0          skip the vector checks
//   targets=js,wasm-gc which outputs to load (default both)
//   budget=300         milliseconds of timed runs per benchmark case and target
//   only=dh,aead-seal  restrict the benchmark to these primitives
//   iterations=N       fixed iteration count instead of the time budget (iterations=1: a quick smoke run)
//   warm=MS            run each case untimed this long first (V8 tiers wasm up in the background;
//                      on a busy machine the first case can otherwise be timed before TurboFan is done)
//   scale=1000,10000   also run the scale scenario (org.mlskit.group.ScaleBench: one commit adding
//                      N - 1 members, then a cold join from its Welcome) at these sizes
//   scaleRounds=3      adds (and joins) timed per size and target
//
// Everything ends up on window.mlskitResults (see README.md) so a browser test can read it.

export const VECTOR_FILES = ['tree-math', 'crypto-basics', 'deserialization'];
export const ALL_TARGETS = ['js', 'wasm-gc'];

const AEAD_VARIANTS = [];
for (const aead of ['AES_128_GCM', 'AES_256_GCM', 'CHACHA20_POLY1305']) {
  for (const size of [1024, 65536]) {
    AEAD_VARIANTS.push(`${aead}:${size}`);
  }
}
const SUITES = ['1', '2', '3', '4', '5', '6', '7'];
const SIGNATURES = ['ED25519', 'ED448', 'ECDSA_SECP256R1_SHA256', 'ECDSA_SECP384R1_SHA384', 'ECDSA_SECP521R1_SHA512'];

/** Every benchmark case of PrimitiveBench, in display order. */
export const BENCH_CASES = [
  ...['X25519', 'X448', 'P-256', 'P-384', 'P-521'].map((v) => ({ primitive: 'dh', variant: v })),
  ...SIGNATURES.map((v) => ({ primitive: 'sign', variant: v })),
  ...SIGNATURES.map((v) => ({ primitive: 'verify', variant: v })),
  ...SUITES.map((v) => ({ primitive: 'hpke-seal', variant: v })),
  ...SUITES.map((v) => ({ primitive: 'hpke-open', variant: v })),
  // An UpdatePath seal beside its public-key floor (keygen + DH), alternated so both see the same load.
  ...SUITES.flatMap((v) => [{ primitive: 'path-seal', variant: v }, { primitive: 'seal-floor', variant: v }]),
  ...AEAD_VARIANTS.map((v) => ({ primitive: 'aead-seal', variant: v })),
  ...AEAD_VARIANTS.map((v) => ({ primitive: 'aead-open', variant: v })),
];

const LOADERS = {
  js: async () => import('/mlskit/js/mlskit-harness.js'),
  'wasm-gc': async () => {
    const runtime = await import('/mlskit/wasm-gc/mlskit-harness.wasm-runtime.js');
    const module = await runtime.load('/mlskit/wasm-gc/mlskit-harness.wasm');
    return module.exports;
  },
};

const params = new URLSearchParams(location.search);
const flag = (name, dflt) => {
  const v = params.get(name);
  return v === null ? dflt : !['0', 'false', 'no', 'off'].includes(v.toLowerCase());
};
const options = {
  bench: flag('bench', false),
  vectors: flag('vectors', true),
  targets: (params.get('targets') ?? ALL_TARGETS.join(',')).split(',').filter((t) => t in LOADERS),
  budgetMs: Math.max(10, Number(params.get('budget') ?? 300) || 300),
  only: params.get('only') ? params.get('only').split(',') : null,
  iterations: params.get('iterations') ? Math.max(1, Math.floor(Number(params.get('iterations')) || 1)) : null,
  warmMs: Math.max(0, Number(params.get('warm') ?? 0) || 0),
  scale: params.get('scale') ? params.get('scale').split(',').map(Number).filter((n) => n >= 2) : [],
  scaleRounds: Math.max(1, Number(params.get('scaleRounds') ?? 3) || 3),
};

const results = {
  options,
  environment: {},
  load: {},        // target -> { ok, ms, error? }
  vectors: {},     // target -> [{ type, entries, passed, failed, summary, ms, error? }]
  bench: null,     // [{ primitive, variant, target, usPerOp, iterations, error? }] when ?bench=1
  scale: null,     // [{ target, members, round, buildMs, addMs, joinMs, heapMiB }] when ?scale=N,...
  errors: [],
  passed: false,   // every vector file passed in full on every target (when vectors ran)
  done: false,
};
window.mlskitResults = results;

const $ = (id) => document.getElementById(id);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const message = (e) => (e && (e.code ? `${e.code}: ` : '') + (e.message ?? String(e))) || String(e);

function setStatus(text, cls = '') {
  const s = $('status');
  s.textContent = text;
  s.className = cls;
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function showEnvironment() {
  const env = {
    userAgent: navigator.userAgent,
    crossOriginIsolated: String(self.crossOriginIsolated),
    secureContext: String(self.isSecureContext),
    'crypto.getRandomValues': String(typeof crypto?.getRandomValues === 'function'),
    hardwareConcurrency: String(navigator.hardwareConcurrency),
  };
  results.environment = env;
  const dl = $('env');
  for (const [k, v] of Object.entries(env)) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
}

async function loadTargets() {
  const harnesses = {};
  for (const target of options.targets) {
    setStatus(`Loading the ${target} output…`);
    const t0 = performance.now();
    try {
      harnesses[target] = await LOADERS[target]();
      results.load[target] = { ok: true, ms: Math.round(performance.now() - t0), vectorTypes: harnesses[target].vectorTypes() };
    } catch (e) {
      console.error(`loading ${target}`, e);
      results.load[target] = { ok: false, ms: Math.round(performance.now() - t0), error: message(e) };
      results.errors.push({ target, stage: 'load', error: message(e) });
    }
  }
  return harnesses;
}

async function fetchVectors() {
  const files = {};
  for (const type of VECTOR_FILES) {
    const response = await fetch(`/vectors/mls/${type}.json`);
    if (!response.ok) {
      throw new Error(`GET /vectors/mls/${type}.json: HTTP ${response.status}`);
    }
    files[type] = await response.text();
  }
  return files;
}

async function runVectors(harnesses) {
  let files;
  try {
    files = await fetchVectors();
  } catch (e) {
    results.errors.push({ stage: 'fetch-vectors', error: message(e) });
    return;
  }
  const tbody = $('vector-rows');
  for (const target of options.targets) {
    results.vectors[target] = [];
    for (const type of VECTOR_FILES) {
      const row = document.createElement('tr');
      row.className = 'running';
      cell(row, target);
      cell(row, `${type}.json`);
      tbody.appendChild(row);
      setStatus(`Verifying ${type}.json on ${target}…`);
      await tick();
      // A fresh parse per run: the harness must not depend on (or mutate) shared input.
      const entries = JSON.parse(files[type]);
      const r = { type, entries: entries.length, passed: 0, failed: 0, summary: '', ms: 0 };
      const h = harnesses[target];
      if (!h) {
        r.failed = entries.length;
        r.error = `the ${target} output did not load: ${results.load[target]?.error}`;
      } else {
        const t0 = performance.now();
        try {
          const out = h.verifyVectors(type, entries);
          r.passed = out.passed;
          r.failed = out.failed;
          r.summary = out.summary;
        } catch (e) {
          console.error(`${type} on ${target}`, e);
          r.error = message(e);
        }
        r.ms = Math.round(performance.now() - t0);
      }
      r.ok = !r.error && r.failed === 0 && r.passed === r.entries;
      results.vectors[target].push(r);
      if (r.error) results.errors.push({ target, stage: `vectors:${type}`, error: r.error });
      row.className = r.ok ? 'pass' : 'fail';
      cell(row, String(r.entries), 'num');
      cell(row, String(r.passed), 'num');
      cell(row, String(r.failed), 'num');
      cell(row, String(r.ms), 'num');
      cell(row, r.error ?? r.summary, 'summary');
    }
  }
  results.passed = options.targets.length > 0
    && options.targets.every((t) => results.vectors[t]?.length === VECTOR_FILES.length
      && results.vectors[t].every((r) => r.ok));
}

/**
 * Microseconds per operation, with the iteration count chosen so the timed loop lasts about
 * budgetMs: first grow the count until one call takes >= 20 ms, then scale.
 */
function benchOne(h, primitive, variant) {
  for (const until = performance.now() + options.warmMs; performance.now() < until;) {
    h.bench(primitive, variant, 1);
  }
  if (options.iterations) {
    return { usPerOp: h.bench(primitive, variant, options.iterations), iterations: options.iterations };
  }
  let n = 1;
  let us;
  for (;;) {
    us = h.bench(primitive, variant, n);
    if (us * n >= 20_000 || n >= 1_000_000) break;
    n *= us * n < 1_000 ? 16 : 4;
  }
  const iterations = Math.max(3, Math.min(1_000_000, Math.round((options.budgetMs * 1000) / Math.max(us, 0.001))));
  return { usPerOp: h.bench(primitive, variant, iterations), iterations };
}

function formatUs(us) {
  if (us === undefined || us === null || Number.isNaN(us)) return '—';
  if (us >= 1000) return us.toFixed(0);
  if (us >= 100) return us.toFixed(1);
  if (us >= 10) return us.toFixed(2);
  return us.toFixed(3);
}

async function runBench(harnesses) {
  $('bench').hidden = false;
  $('budget').textContent = String(options.budgetMs);
  results.bench = [];
  const cases = BENCH_CASES.filter((c) => !options.only || options.only.includes(c.primitive));
  const tbody = $('bench-rows');
  let i = 0;
  for (const { primitive, variant } of cases) {
    i++;
    const row = document.createElement('tr');
    row.className = 'running';
    cell(row, primitive);
    cell(row, variant);
    const cells = { js: cell(row, '…', 'num'), 'wasm-gc': cell(row, '…', 'num') };
    const ratio = cell(row, '', 'num');
    tbody.appendChild(row);
    const us = {};
    for (const target of ALL_TARGETS) {
      if (!options.targets.includes(target)) {
        cells[target].textContent = '—';
        continue;
      }
      setStatus(`Benchmark ${i}/${cases.length}: ${primitive} ${variant} on ${target}…`);
      await tick();
      const r = { primitive, variant, target, usPerOp: null, iterations: 0 };
      const h = harnesses[target];
      try {
        if (!h) throw new Error(`the ${target} output did not load`);
        Object.assign(r, benchOne(h, primitive, variant));
        us[target] = r.usPerOp;
        cells[target].textContent = formatUs(r.usPerOp);
        cells[target].title = `${r.iterations} iterations`;
      } catch (e) {
        console.error(`bench ${primitive} ${variant} on ${target}`, e);
        r.error = message(e);
        results.errors.push({ target, stage: `bench:${primitive}:${variant}`, error: r.error });
        cells[target].textContent = 'error';
        cells[target].title = r.error;
      }
      results.bench.push(r);
    }
    row.className = Object.keys(us).length === options.targets.length ? 'pass' : 'fail';
    if (us.js && us['wasm-gc']) ratio.textContent = `${(us.js / us['wasm-gc']).toFixed(1)}×`;
  }
}

/** MiB of the JS heap in use (Chromium's performance.memory; wasm-gc objects live in that heap), or null. */
const heapMiB = () => (performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1048576) : null);

/**
 * The scale scenario in each target: N - 1 KeyPackages built once per size (untimed), then per
 * round a new group of one, the add of all of them in one commit (timed), and a join of the last
 * member from the first add's Welcome with the verifier's key caches emptied (timed).
 */
async function runScale(harnesses) {
  results.scale = [];
  for (const target of options.targets) {
    const h = harnesses[target];
    for (const members of options.scale) {
      setStatus(`Scale: building ${members - 1} KeyPackages on ${target}…`);
      await tick();
      try {
        if (!h) throw new Error(`the ${target} output did not load`);
        let t0 = performance.now();
        h.scaleBuild(members);
        const buildMs = performance.now() - t0;
        for (let round = 1; round <= options.scaleRounds; round++) {
          setStatus(`Scale: ${members} members on ${target}, round ${round}…`);
          await tick();
          if (round > 1) h.scalePrepareAdd();
          t0 = performance.now();
          h.scaleAdd();
          const addMs = performance.now() - t0;
          const heap = heapMiB();
          h.scalePrepareJoin();
          t0 = performance.now();
          h.scaleJoin();
          const joinMs = performance.now() - t0;
          const row = { target, members, round, buildMs, addMs, joinMs, heapMiB: heap };
          results.scale.push(row);
          console.log(`scale ${JSON.stringify(row)}`);
        }
      } catch (e) {
        console.error(`scale ${members} on ${target}`, e);
        results.errors.push({ target, stage: `scale:${members}`, error: message(e) });
      }
    }
  }
}

async function main() {
  showEnvironment();
  const harnesses = await loadTargets();
  if (options.vectors) {
    await runVectors(harnesses);
  }
  if (options.bench) {
    await runBench(harnesses);
  }
  if (options.scale.length > 0) {
    await runScale(harnesses);
  }
  const problems = results.errors.length + (options.vectors && !results.passed ? 1 : 0);
  if (problems === 0) {
    setStatus(`Done: ${options.vectors ? 'every vector file passed in full on ' + options.targets.join(' and ') : 'vectors skipped'}`
      + `${options.bench ? `; ${results.bench.length} benchmark runs` : ''}.`, 'ok');
  } else {
    setStatus(`Done with failures (${results.errors.length} errors); see the tables and the console.`, 'fail');
  }
}

main()
  .catch((e) => {
    console.error(e);
    results.errors.push({ stage: 'page', error: message(e) });
    setStatus(`Failed: ${message(e)}`, 'fail');
  })
  .finally(() => {
    results.done = true;
    document.documentElement.dataset.done = 'true';
  });
