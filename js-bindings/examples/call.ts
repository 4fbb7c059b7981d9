// An end-to-end encrypted call (mlskit/call): SFrame on the RTCPeerConnection's senders and
// receivers, keys from the MLS group, a new key epoch after every merged commit. In Node there is
// no WebRTC: the same keys are shown with KeyRing, the key manager the call's worker runs.
import { init, Client, Group } from 'mlskit';
import { Call, KeyRing, epochKeys, transformSupport, peerConnectionConfig } from 'mlskit/call';

await init();
const alice = Client.create({ identity: 'alice' });
const bob = Client.create({ identity: 'bob' });
const bobKeyPackage = bob.createKeyPackage();
const aliceGroup = Group.create(alice, { groupId: 'team-call' });
const add = aliceGroup.add([bobKeyPackage.message]);
aliceGroup.merge(add);
const bobGroup = Group.join(bob, add.welcome!, bobKeyPackage);

/** In a browser: encrypt what we send, decrypt what we receive, follow the group's epochs. */
async function joinCall(group: Group, media: MediaStream): Promise<Call> {
  const call = new Call({ gracePeriodMs: 2000 });
  await call.setEpoch(group);
  const pc = new RTCPeerConnection(peerConnectionConfig({ bundlePolicy: 'max-bundle' as RTCBundlePolicy }));
  for (const track of media.getTracks()) call.encryptSender(pc.addTrack(track, media), { id: `send-${track.kind}` });
  pc.ontrack = (ev) => call.decryptReceiver(ev.receiver);
  // ... signalling with the SFU; after each merged commit: await call.setEpoch(group)
  const s = await call.stats();
  console.log(`epoch ${s.epoch}: ${Object.keys(s.transforms).length} transforms`);
  return call;
}

if (transformSupport() !== null) {
  await joinCall(aliceGroup, await navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
} else {
  const aliceRing = new KeyRing();
  const bobRing = new KeyRing();
  for (const [ring, group] of [[aliceRing, aliceGroup], [bobRing, bobGroup]] as const) {
    const k = epochKeys(group);
    await ring.installEpoch(k.epoch, k.baseKey, k.myLeaf, k.memberLeaves);
  }
  const sent = await aliceRing.encrypt(0, new Uint8Array(0), new Uint8Array([1, 2, 3]));
  const got = await bobRing.decrypt(new Uint8Array(0), sent.frame);
  console.log(`no WebRTC here; bob decrypted ${got.plaintext.length} bytes from leaf ${got.senderLeaf}, KID ${sent.kid}, epoch ${got.epoch}`);
}
