// Group metadata in the app_data_dictionary, a member leaving with SelfRemove, a credential
// validator, and reading a message's header before processing it (a delivery service client).
import { init, inspectMessage, Client, Group } from 'mlskit';

await init();
const text = new TextDecoder();
const NAME = 0x8001; // component ids 0x8000-0xFFFF are the application's own
const TOPIC = 0x8002;

function receiveCommit(g: Group, message: Uint8Array): void {
  const r = g.process(message);
  if (r.kind !== 'commit') throw new Error(`expected a commit, got ${r.kind}`);
  g.merge(r.commit);
}

// Accept only basic credentials whose identity is a known user name.
const known = new Set(['alice', 'bob', 'carol']);
const options = {
  credentialValidator: (c: { type: string; identity?: Uint8Array }) =>
    c.type === 'basic' && c.identity !== undefined && known.has(text.decode(c.identity)),
};

const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((identity) => Client.create({ identity }));
const kps = [bob, carol].map((c) => c.createKeyPackage());
const a = Group.create(alice, { ...options, appData: [{ componentId: NAME, data: 'Team chat' }] });
const add = a.add(kps.map((k) => k.message), { handshake: 'public' });
a.merge(add);
// Each joiner picks its KeyPackage from what the Welcome names.
const b = Group.join(bob, add.welcome!, Group.keyPackageFor(add.welcome!, kps)!, options);
const c = Group.join(carol, add.welcome!, Group.keyPackageFor(add.welcome!, [kps[1]])!, options);

// Bob sets a topic (an AppDataUpdate by value: no UpdatePath needed).
const topic = b.commit({ appData: [{ componentId: TOPIC, data: 'release planning' }] });
b.merge(topic);
for (const g of [a, c]) {
  const header = inspectMessage(topic.message!);
  console.log(`${header.contentType} for epoch ${header.epoch}, ${header.wireFormat} message`);
  receiveCommit(g, topic.message!);
}
console.log(a.appData().map((e) => `${e.componentId.toString(16)}: ${text.decode(e.data)}`).join(', '));

// Carol leaves: she proposes, Alice commits.
const leave = c.proposeSelfRemove();
a.process(leave);
b.process(leave);
const commit = a.commit();
console.log(`commit removes leaf ${commit.removed[0].leafIndex}, path: ${commit.hasUpdatePath}`);
a.merge(commit);
receiveCommit(b, commit.message!);
receiveCommit(c, commit.message!);
console.log(`carol is ${c.status}; ${a.memberCount} members left, tree hash ${a.treeHash.length} bytes`);
