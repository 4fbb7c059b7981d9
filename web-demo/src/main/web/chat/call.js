// The call of one conversation: camera and microphone published to the group's Janus VideoRoom
// and the other participants' streams received, every frame end-to-end encrypted by mlskit/call
// with keys from the group (clientEpochKeys), moved on every epoch of the group. What is drawn
// is call-view.js's; this file holds the media, the signalling and the keys.
//
// Who a remote tile is comes from the frames, not from Janus: the sender leaf of the SFrame KID
// under which its frames decrypt (and authenticate), looked up in the group's members of that
// epoch. The display name a participant gives Janus is never shown as its identity.
import { Call, clientEpochKeys } from 'mlskit/call';
import { Janus, JanusError } from './janus.js';

const VIDEOROOM = 'janus.plugin.videoroom';
const ROOM_EXISTS = 427; // VideoRoom: a room with this id exists already (another member created it first)
const NAME_EPOCHS = 16; // member lists kept for naming senders (the call holds at most 2^E = 16 epochs)

/**
 * The group's VideoRoom id: 1 + the first 48 bits of SHA-256("mlskit call room" 0 group id), so
 * every member finds the same room, the id is a safe JS number, and Janus is not told the group id.
 */
export async function roomOf(group) {
  const h = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`mlskit call room\u0000${group}`)));
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + h[i];
  return n + 1;
}

function gatheringDone(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (pc.iceGatheringState === 'complete') resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
    setTimeout(resolve, 3000); // host candidates only (Janus on loopback): gathering is quick
  });
}

/** Camera and microphone; what was refused is said in `notice`, never thrown. */
async function localMedia() {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true }), notice: null };
  } catch (e) {
    const why = `${e.name}${e.message ? `: ${e.message}` : ''}`;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      return { stream, notice: `The camera was refused (${why}): the others hear you but do not see you.` };
    } catch {
      return { stream: null, notice: `The camera and microphone were refused (${why}): you see and hear the others, they neither see nor hear you.` };
    }
  }
}

export class GroupCall {
  /**
   * client: an mlskit/client MlsClient; group: the group id; janusUrl: the Janus API;
   * me: {user, device}; onChange(): called when something worth redrawing happened.
   */
  constructor({ client, group, janusUrl, me, onChange }) {
    Object.assign(this, { client, group, janusUrl, me, onChange });
    this.call = null;
    this.janus = null;
    this.room = 0;
    this.pub = 0;
    this.myFeed = 0;
    this.local = null;
    this.notice = null;
    this.ended = null; // why the call ended, once it has
    this.remotes = new Map(); // Janus feed id -> {feed, handle, pc, stream, transformIds, tile state}
    this.names = new Map(); // epoch (string) -> Map(leaf -> "user/device")
    this.epochs = Promise.resolve(); // epoch changes, one after the other
    this.gen = 0;
  }

  /** Media, keys, room; resolves once published and subscribed to whoever is there. */
  async start() {
    const media = await localMedia();
    this.local = media.stream;
    this.notice = media.notice;
    this.call = new Call();
    await this.epochChanged();
    this.janus = await new Janus(this.janusUrl).connect();
    this.room = await roomOf(this.group);
    this.pub = await this.janus.attach(VIDEOROOM, (ev) => this.#onRoomEvent(ev));
    await this.#ensureRoom();
    const joined = await this.janus.request(this.pub, { request: 'join', ptype: 'publisher', room: this.room, display: `${this.me.user}/${this.me.device}` });
    this.myFeed = joined.data.id;
    if (this.local) await this.#publish();
    for (const p of joined.data.publishers ?? []) this.#subscribe(p);
    this.onChange();
  }

  async #ensureRoom() {
    const r = await this.janus.request(this.pub, { request: 'exists', room: this.room });
    if (r.data.exists) return;
    try {
      // only publishers that say their media is end-to-end encrypted get in
      await this.janus.request(this.pub, { request: 'create', room: this.room, require_e2ee: true, videocodec: 'vp8', audiocodec: 'opus', publishers: 16 });
    } catch (e) {
      if (!(e instanceof JanusError && e.code === ROOM_EXISTS)) throw e;
    }
  }

  async #publish() {
    const pc = new RTCPeerConnection(this.call.peerConnectionConfig({}));
    this.pubPc = pc;
    for (const track of this.local.getTracks()) this.call.encryptSender(pc.addTrack(track, this.local), { id: `send-${track.kind}` });
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringDone(pc);
    const answer = await this.janus.request(this.pub, { request: 'publish' }, { type: 'offer', sdp: pc.localDescription.sdp, e2ee: true });
    await pc.setRemoteDescription(answer.jsep);
  }

  #onRoomEvent(ev) {
    const d = ev.plugindata?.data;
    if (!d) return;
    for (const p of d.publishers ?? []) this.#subscribe(p);
    const gone = d.unpublished ?? d.leaving;
    if (gone !== undefined && gone !== 'ok') this.#drop(gone);
  }

  #subscribe(p) {
    if (this.ended || this.remotes.has(p.id) || p.id === this.myFeed) return;
    const gen = ++this.gen;
    const rec = { feed: p.id, handle: 0, pc: null, stream: new MediaStream(), transformIds: {}, state: 'connecting', name: null, seen: { frames: 0, dropped: 0 }, framesDecoded: 0 };
    this.remotes.set(p.id, rec);
    this.#connect(rec, gen).catch((e) => {
      rec.state = 'failed';
      rec.error = String(e.message ?? e);
      this.onChange();
    });
    this.onChange();
  }

  async #connect(rec, gen) {
    rec.handle = await this.janus.attach(VIDEOROOM);
    const pc = new RTCPeerConnection(this.call.peerConnectionConfig({}));
    rec.pc = pc;
    pc.ontrack = (ev) => {
      const kind = ev.track.kind;
      rec.transformIds[kind] = this.call.decryptReceiver(ev.receiver, { id: `recv-${rec.feed}-${kind}-${gen}` });
      rec.stream.addTrack(ev.track);
      this.onChange();
    };
    const offer = await this.janus.request(rec.handle, { request: 'join', ptype: 'subscriber', room: this.room, streams: [{ feed: rec.feed }] });
    await pc.setRemoteDescription(offer.jsep);
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringDone(pc);
    await this.janus.request(rec.handle, { request: 'start' }, { type: 'answer', sdp: pc.localDescription.sdp });
  }

  #drop(feed) {
    const rec = this.remotes.get(feed);
    if (!rec) return;
    this.remotes.delete(feed);
    rec.pc?.close();
    if (rec.handle) this.janus.detach(rec.handle);
    this.onChange();
  }

  /** The group moved to a new epoch (or the call starts): keys and the member names of that epoch. */
  epochChanged() {
    this.epochs = this.epochs.then(async () => {
      if (this.ended || !this.call) return;
      const keys = await clientEpochKeys(this.client, this.group);
      const state = await this.client.group(this.group);
      if (state) {
        this.names.set(String(state.epoch), new Map(state.members.map((m) => [m.leaf, `${m.user}/${m.device}`])));
        for (const e of [...this.names.keys()]) if (this.names.size > NAME_EPOCHS) this.names.delete(e);
      }
      const current = (await this.call.stats()).epoch;
      if (current !== null && keys.epoch <= BigInt(current)) {
        keys.baseKey.fill(0); // seen already (two events, one epoch)
        return;
      }
      await this.call.setEpoch(keys);
      this.onChange();
    }).catch((e) => {
      if (!this.ended) this.notice = `The call's keys could not move to the new epoch: ${e.code ?? ''} ${e.message}`;
      this.onChange();
    });
    return this.epochs;
  }

  /**
   * What to draw: the sending epoch and, per remote participant, who its frames say it is.
   * A participant whose frames stopped decrypting while others' frames came is not in the group
   * (removed, or never was): shown as such, with no name.
   */
  async status() {
    if (this.ended || !this.call) return { epoch: null, remotes: [] };
    const stats = await this.call.stats();
    const remotes = [];
    for (const rec of this.remotes.values()) {
      const t = stats.transforms[rec.transformIds.video] ?? stats.transforms[rec.transformIds.audio];
      if (t) {
        const grew = t.frames > rec.seen.frames;
        const failing = t.dropped > rec.seen.dropped;
        if (grew && t.senderLeaf !== null) {
          rec.state = 'member';
          rec.name = this.names.get(t.epoch)?.get(t.senderLeaf) ?? `leaf ${t.senderLeaf}`;
        } else if (failing) {
          rec.state = 'not-in-group';
          rec.name = null;
          rec.errors = t.errors;
        }
        rec.seen = { frames: t.frames, dropped: t.dropped };
        rec.kid = t.kid;
      }
      if (rec.pc) {
        (await rec.pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') rec.framesDecoded = s.framesDecoded ?? 0;
        });
      }
      remotes.push(rec);
    }
    return { epoch: stats.epoch, remotes };
  }

  /** Ends the call: keys erased, media stopped, Janus left. `why` is shown (null: the user left). */
  async hangUp(why = null) {
    if (this.ended) return;
    this.ended = why ?? 'left';
    for (const rec of this.remotes.values()) rec.pc?.close();
    this.remotes.clear();
    this.pubPc?.close();
    this.local?.getTracks().forEach((t) => t.stop());
    await this.call?.leave().catch(() => {});
    await this.janus?.destroy();
    this.onChange();
  }
}
