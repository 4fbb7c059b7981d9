// Multi-MLS with mlskit/mmls: three peers on a dumb relay, no server ordering anything. Carol goes
// offline while Alice and Bob talk and update; back online, she reads everything and all views
// agree. Swap MemoryRelay for BroadcastChannelTransport (tabs) or your own relay transport.
import { init, Client } from 'mlskit';
import { MmlsSession, MmlsPeer, MemoryRelay, type MmlsMessageEvent } from 'mlskit/mmls';

await init();
const names = ['alice', 'bob', 'carol'];
const text = new TextDecoder();

// Each participant makes one KeyPackage per other participant's send group and hands it over
// out of band (here: an array lookup).
const sessions = new Map<string, MmlsSession>();
for (const name of names) {
  sessions.set(name, MmlsSession.create(Client.create({ identity: name }), { sessionId: 'demo', keyPackages: names.length - 1 }));
}
function keyPackagesFor(owner: string): Uint8Array[] {
  return names.filter((p) => p !== owner).map((p) => {
    const others = names.filter((o) => o !== p);
    return sessions.get(p)!.keyPackages[others.indexOf(owner)];
  });
}

const relay = new MemoryRelay({ reorder: 5 }); // deliveries may overtake each other
const peers = new Map<string, MmlsPeer>();
const inbox = new Map<string, string[]>();
for (const name of names) {
  const peer = new MmlsPeer(sessions.get(name)!, relay.connect(), { antiEntropyInterval: 100 });
  inbox.set(name, []);
  peer.on('message', (e: MmlsMessageEvent) => inbox.get(name)!.push(`${e.sender}: ${text.decode(e.data)}`));
  peers.set(name, peer);
}
for (const name of names) await peers.get(name)!.start(keyPackagesFor(name));

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > 2000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
await until('everyone joined', () => names.every((n) => sessions.get(n)!.senders.length === 2));

const [alice, bob, carol] = names.map((n) => peers.get(n)!);
carol.setOnline(false); // a partition
await alice.send('lunch at noon?');
await bob.update(); // fresh keys while carol is away
await bob.send('yes');
await carol.send('written offline');
carol.setOnline(true); // announces what she has; the others send what she missed, and vice versa
await until('carol caught up', () => inbox.get('carol')!.length === 2 && inbox.get('alice')!.length === 2);
await carol.commit(); // commits Bob's Update in her send group

const same = (a: Uint8Array | null, b: Uint8Array | null) => a !== null && b !== null && a.every((x, i) => x === b[i]);
await until('views agree', () => names.every((owner) => names.every((n) =>
  same(sessions.get(n)!.epochAuthenticator(owner), sessions.get(owner)!.epochAuthenticator(owner)))));
for (const name of names) console.log(`${name} read: ${inbox.get(name)!.sort().join(' | ')}`);
for (const p of peers.values()) p.close();
