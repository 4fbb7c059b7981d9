// A tiny app bundled by Vite: imports mlskit like any dependency and runs a three-member group
// with the build named by ?build= (default auto).
import { init, Client, Group, currentBuild } from 'mlskit';

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
  return { ok: true, build, current: currentBuild(), got, members: a.memberCount };
}

main().catch((e) => ({ ok: false, error: String(e && e.stack ? e.stack : e) })).then((r) => {
  document.getElementById('out').textContent = JSON.stringify(r, null, 2);
  window.mlskitResults = { ...r, done: true };
});
