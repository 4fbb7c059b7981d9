// End-to-end encrypted media keys for a call (RFC 9605 §5.2): each member derives SFrame keys from
// the MLS group; after every merged commit, onEpoch() moves the call to the new keys.
import { init, Client, Group } from 'mlskit';
import { SFrameKeys, SFrameSuite, SFrameError } from 'mlskit/sframe';

await init();
const alice = Client.create({ identity: 'alice' });
const bob = Client.create({ identity: 'bob' });
const bobKeyPackage = bob.createKeyPackage();
const aliceGroup = Group.create(alice, { groupId: 'team-call' });
const add = aliceGroup.add([bobKeyPackage.message]);
aliceGroup.merge(add);
const bobGroup = Group.join(bob, add.welcome!, bobKeyPackage);

const aliceKeys = new SFrameKeys({ cipherSuite: SFrameSuite.AES_128_GCM_SHA256_128 });
const bobKeys = new SFrameKeys({ cipherSuite: SFrameSuite.AES_128_GCM_SHA256_128 });
aliceKeys.onEpoch(aliceGroup);
bobKeys.onEpoch(bobGroup);

// One stream per track: audio and video never share a key and nonce.
const audio = aliceKeys.openStream();
const frame = audio.encrypt(new Uint8Array([1, 2, 3]), new TextEncoder().encode('rtp header'));
const received = bobKeys.decrypt(frame, new TextEncoder().encode('rtp header'));
console.log(`bob decrypted ${received.plaintext.length} bytes from leaf ${received.senderLeaf}, epoch ${received.epoch}`);
try {
  bobKeys.decrypt(frame, new TextEncoder().encode('rtp header'));
} catch (e) {
  if (!(e instanceof SFrameError) || e.code !== 'REPLAY') throw e;
  console.log('a replayed frame is refused');
}
[audio, aliceKeys, bobKeys].forEach((o) => o.free());
