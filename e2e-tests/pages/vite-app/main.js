// A tiny app bundled by Vite: imports mlskit like any dependency and runs a three-member group
// with the build named by ?build= (default auto).
import { init, Client, Group, currentBuild } from 'mlskit';
import { MlsClient, memoryStorage } from 'mlskit/client';

async function main() {
  const build = await init({ build: new URLSearchParams(location.search).get('build') ?? 'auto' });
  const text = new TextDecoder();
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((identity) => Client.create({ identity }));
  const kps = [bob, carol].map((c) => c.createKeyPackage());
  const a = Group.create(alice);
  const add = a.add(kps.map((k) => k.message));
  a.merge(add);
  const b = Group.join(bob, add.welcome, kps[0]);
  const c = Group.join(carol, add.welcome, kps[1]);
  const got = [b.process(a.encrypt('from alice')), c.process(b.encrypt('from bob')), a.process(c.encrypt('from carol'))]
    .map((m) => text.decode(m.data));
  // mlskit/client is bundled too (no node: module may be reachable from it): its storage runs here.
  const store = memoryStorage();
  await store.put('k', new Uint8Array([1]));
  const client = typeof MlsClient.open === 'function' && (await store.get('k'))[0] === 1;
  return { ok: true, build, current: currentBuild(), got, members: a.memberCount, client };
}

main().catch((e) => ({ ok: false, error: String(e && e.stack ? e.stack : e) })).then((r) => {
  document.getElementById('out').textContent = JSON.stringify(r, null, 2);
  window.mlskitResults = { ...r, done: true };
});
