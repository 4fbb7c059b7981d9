// A complete three-member group with mlskit: create, add, messages both ways, update, remove,
// save and restore. Each client would run on its own device; here they share one process and
// the "delivery service" is a function call. (The README shows this file.)
import { init, Client, Group, type ProcessedMessage } from 'mlskit';

const build = await init(); // 'wasm-gc' where the runtime supports it, else 'js'
const text = new TextDecoder();

function show(who: string, m: ProcessedMessage): void {
  if (m.kind !== 'application') throw new Error(`${who} expected an application message, got ${m.kind}`);
  console.log(`${who} got "${text.decode(m.data)}" from leaf ${m.senderLeaf}`);
}

// Every client has an identity; Bob and Carol publish KeyPackages (to your delivery service).
const alice = Client.create({ identity: 'alice' });
const bob = Client.create({ identity: 'bob' });
const carol = Client.create({ identity: 'carol' });
const bobKeyPackage = bob.createKeyPackage();
const carolKeyPackage = carol.createKeyPackage();

// Alice creates the group and adds both. Commits are staged: merge once the delivery service
// accepted the commit, then send the Welcome to the new members.
const aliceGroup = Group.create(alice, { groupId: 'team-chat' });
const add = aliceGroup.add([bobKeyPackage.message, carolKeyPackage.message]);
aliceGroup.merge(add);
const bobGroup = Group.join(bob, add.welcome!, bobKeyPackage);
const carolGroup = Group.join(carol, add.welcome!, carolKeyPackage);

// Application messages, both ways.
const hello = aliceGroup.encrypt('hello from alice');
show('bob', bobGroup.process(hello));
show('carol', carolGroup.process(hello));
const reply = bobGroup.encrypt('hi alice, bob here');
show('alice', aliceGroup.process(reply));
show('carol', carolGroup.process(reply));

// Carol refreshes her keys (post-compromise security); the others process and merge.
const update = carolGroup.update();
carolGroup.merge(update);
for (const g of [aliceGroup, bobGroup]) {
  const m = g.process(update.message!);
  if (m.kind !== 'commit') throw new Error('expected a commit');
  g.merge(m.commit);
}

// Alice removes Bob: Carol sees who left; Bob learns he is out.
const bobLeaf = aliceGroup.members().find((m) => text.decode(m.identity) === 'bob')!.leafIndex;
const remove = aliceGroup.remove(bobLeaf);
aliceGroup.merge(remove);
const seen = carolGroup.process(remove.message!);
if (seen.kind !== 'commit') throw new Error('expected a commit');
console.log('carol sees removed:', seen.commit.removed.map((m) => text.decode(m.identity)));
carolGroup.merge(seen.commit);
const bobSees = bobGroup.process(remove.message!);
if (bobSees.kind !== 'commit' || !bobSees.commit.removesMe) throw new Error('bob should be removed');
bobGroup.merge(bobSees.commit);
console.log('bob is now', bobGroup.status);

// Both remaining members agree on the epoch; state saves as bytes and restores.
const same = aliceGroup.epochAuthenticator().every((b, i) => b === carolGroup.epochAuthenticator()[i]);
const restored = Group.load(carolGroup.save());
show('carol (restored)', restored.process(aliceGroup.encrypt('still here?')));
console.log(`${build} build: epoch ${restored.epoch}, ${restored.memberCount} members, authenticators match: ${same}`);
if (!same || restored.memberCount !== 2) throw new Error('the group went wrong');
