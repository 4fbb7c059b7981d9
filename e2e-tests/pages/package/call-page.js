// One participant of an end-to-end encrypted call through Janus, driven by CallJanusTest through
// window.callTest: an MLS group (created here or loaded from another page's saved state), a
// canvas stream of one colour published to a VideoRoom with mlskit/call's SFrame transform, and
// a subscription to every other publisher with the decrypting transform. A page without keys
// subscribes without decrypting (what the SFU, or anyone outside the group, gets).
import * as mls from '../node_modules/mlskit/dist/index.js';
import { Call, transformSupport } from '../node_modules/mlskit/dist/call/index.js';
import { Janus } from './janus-client.js';

const b64 = (u8) => {
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
  return btoa(s);
};
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const st = { group: null, call: null, janus: null, room: 0, myId: 0, pub: 0, gen: 0, remotes: new Map(), pcs: [], log: [] };

function gatheringDone(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (pc.iceGatheringState === 'complete') {
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      }
    };
    pc.addEventListener('icegatheringstatechange', check);
    setTimeout(resolve, 3000); // host candidates only: gathering is quick, never wait long
  });
}

function colourStream(colour) {
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 120;
  document.body.append(canvas);
  const ctx = canvas.getContext('2d');
  let tick = 0;
  // the moving square keeps frames changing; the lower half stays the sender's colour
  setInterval(() => {
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 160, 120);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect((tick++ * 4) % 150, 0, 10, 10);
  }, 40);
  return canvas.captureStream(25);
}

/** A sine tone of `hz` as an audio track: the receivers find its frequency in what they decode. */
function toneTrack(hz) {
  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  osc.frequency.value = hz;
  const gain = ctx.createGain();
  gain.gain.value = 0.5;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  ctx.resume();
  return dest.stream.getAudioTracks()[0];
}

/**
 * The loudest frequency (Hz), the share of the spectrum's power within 4 bins of it (a sine is
 * nearly all of it, the noise an Opus decoder makes of ciphertext a small part, whatever its
 * loudest bin happens to be) and the RMS level of what an analyser hears.
 */
function listen(an) {
  const freq = new Float32Array(an.frequencyBinCount);
  an.getFloatFrequencyData(freq);
  let best = 0;
  for (let i = 1; i < freq.length; i++) if (freq[i] > freq[best]) best = i;
  let total = 0;
  let near = 0;
  for (let i = 0; i < freq.length; i++) {
    const power = Number.isFinite(freq[i]) ? 10 ** (freq[i] / 10) : 0;
    total += power;
    if (Math.abs(i - best) <= 4) near += power;
  }
  const time = new Float32Array(an.fftSize);
  an.getFloatTimeDomainData(time);
  const rms = Math.sqrt(time.reduce((a, v) => a + v * v, 0) / time.length);
  return {
    peakHz: Math.round((best * an.context.sampleRate) / an.fftSize),
    tonality: total > 0 ? Math.round((near / total) * 1000) / 1000 : 0,
    rms,
  };
}

async function subscribe(p) {
  if (st.remotes.has(p.id) || p.id === st.myId) return;
  const rec = { id: p.id, display: p.display, video: null, analyser: null, pc: null, transformIds: [] };
  st.remotes.set(p.id, rec);
  const handle = await st.janus.attach('janus.plugin.videoroom');
  const pc = new RTCPeerConnection(window.callTest.pcConfig());
  st.pcs.push(pc);
  pc.ontrack = (ev) => {
    const kind = ev.track.kind;
    const id = `recv-${p.display}-${kind}${st.gen ? `-${st.gen}` : ''}`;
    if (st.call && (kind === 'video' || st.audioKeys)) rec.transformIds.push(st.call.decryptReceiver(ev.receiver, { id }));
    if (kind === 'audio') {
      // Chromium feeds a remote track to Web Audio only while a media element plays it too
      const a = new Audio();
      a.muted = true;
      a.srcObject = new MediaStream([ev.track]);
      a.play().catch(() => {});
      const ctx = new AudioContext();
      ctx.resume();
      const an = ctx.createAnalyser();
      an.fftSize = 4096;
      ctx.createMediaStreamSource(new MediaStream([ev.track])).connect(an);
      rec.analyser = an;
      return;
    }
    const v = document.createElement('video');
    Object.assign(v, { muted: true, autoplay: true, playsInline: true, width: 160, height: 120 });
    v.srcObject = new MediaStream([ev.track]);
    document.body.append(v);
    rec.video = v;
  };
  const attached = await st.janus.request(handle, { request: 'join', ptype: 'subscriber', room: st.room, streams: [{ feed: p.id }] });
  await pc.setRemoteDescription(attached.jsep);
  await pc.setLocalDescription(await pc.createAnswer());
  await gatheringDone(pc);
  await st.janus.request(handle, { request: 'start' }, { type: 'answer', sdp: pc.localDescription.sdp });
  rec.pc = pc;
}

function onPublisherEvent(ev) {
  const d = ev.plugindata?.data;
  for (const p of d?.publishers ?? []) subscribe(p).catch((e) => st.log.push(`subscribe ${p.display}: ${e}`));
}

function pixel(v) {
  if (!v || !v.videoWidth) return null;
  const c = document.createElement('canvas');
  c.width = v.videoWidth;
  c.height = v.videoHeight;
  const x = c.getContext('2d');
  x.drawImage(v, 0, 0);
  const d = x.getImageData(c.width >> 1, (c.height * 3) >> 2, 1, 1).data;
  return [d[0], d[1], d[2]];
}

window.callTest = {
  async init(build) {
    return { build: await mls.init({ build }), transform: transformSupport() };
  },

  /** A group of these members on this page (the first is this page's); the others' saved groups. */
  createGroup(names) {
    const clients = names.map((n) => mls.Client.create({ identity: n }));
    const kps = clients.slice(1).map((c) => c.createKeyPackage());
    const g = mls.Group.create(clients[0]);
    const add = g.add(kps.map((k) => k.message));
    g.merge(add);
    st.group = g;
    return clients.slice(1).map((c, i) => b64(mls.Group.join(c, add.welcome, kps[i]).save()));
  },

  loadGroup(state) {
    st.group = mls.Group.load(unb64(state));
    return { epoch: st.group.epoch, leaf: st.group.myLeafIndex };
  },

  /**
   * Joins the room; publishes a stream of `colour` (or, with `camera: {width, height, fps}`, the
   * camera and microphone) unless publish is false; encrypts/decrypts unless keys is false (audio
   * too unless audioKeys is false).
   */
  async join({ janusUrl, room, name, colour, toneHz, publish = true, keys = true, transformApi, camera, audioKeys = true, frameCipher = 'auto' }) {
    st.room = room;
    st.audioKeys = audioKeys; // false: audio passes without the transform (the CPU benchmark's attribution run)
    st.janus = await new Janus(janusUrl).connect();
    if (keys) {
      st.call = new Call({ gracePeriodMs: 1000, transformApi, frameCipher });
      await st.call.setEpoch(st.group);
    }
    const pub = await st.janus.attach('janus.plugin.videoroom', onPublisherEvent);
    st.pub = pub;
    const joined = await st.janus.request(pub, { request: 'join', ptype: 'publisher', room, display: name });
    st.myId = joined.data.id;
    if (publish) {
      const stream = camera
        ? await navigator.mediaDevices.getUserMedia({ video: { width: { exact: camera.width }, height: { exact: camera.height }, frameRate: camera.fps }, audio: true })
        : colourStream(colour);
      const pc = new RTCPeerConnection(window.callTest.pcConfig());
      st.pcs.push(pc);
      const sender = pc.addTrack(stream.getVideoTracks()[0], stream);
      if (st.call) st.call.encryptSender(sender, { id: 'send-video' });
      const audio = pc.addTrack(camera ? stream.getAudioTracks()[0] : toneTrack(toneHz), stream);
      if (st.call && audioKeys) st.call.encryptSender(audio, { id: 'send-audio' });
      await pc.setLocalDescription(await pc.createOffer());
      await gatheringDone(pc);
      // e2ee in the JSEP: the room admits only publishers that say their media is end-to-end encrypted
      const answer = await st.janus.request(pub, { request: 'publish' }, { type: 'offer', sdp: pc.localDescription.sdp, e2ee: keys });
      await pc.setRemoteDescription(answer.jsep);
    }
    for (const p of joined.data.publishers ?? []) await subscribe(p);
    return { id: st.myId };
  },

  /** Drops every subscription and subscribes again: a receiver that joins a running stream. */
  async resubscribe() {
    st.gen++;
    const old = [...st.remotes.values()];
    st.remotes.clear();
    for (const r of old) {
      r.pc?.close();
      r.video?.remove();
    }
    const list = await st.janus.request(st.pub, { request: 'listparticipants', room: st.room });
    for (const p of list.data.participants) if (p.publisher && p.id !== st.myId) await subscribe(p);
    return { subscriptions: st.remotes.size, generation: st.gen };
  },

  /** Removes the member at `leaf` (on this page); the commit for the other pages, base64. */
  async removeMember(leaf) {
    const staged = st.group.remove(leaf);
    st.group.merge(staged);
    await st.call?.setEpoch(st.group);
    return b64(staged.message);
  },

  /** Processes another page's commit; moves the call to the new epoch unless this member was removed. */
  async processCommit(message) {
    const r = st.group.process(unb64(message));
    st.group.merge(r.commit);
    if (st.group.status === 'active') await st.call?.setEpoch(st.group);
    return { epoch: st.group.epoch, status: st.group.status };
  },

  pcConfig() {
    return st.call ? st.call.peerConnectionConfig({}) : {};
  },

  async status() {
    const remotes = {};
    for (const r of st.remotes.values()) {
      let framesDecoded = 0;
      let framesReceived = 0;
      let audioPackets = 0;
      let videoPackets = 0;
      if (r.pc) {
        (await r.pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') {
            framesDecoded = s.framesDecoded ?? 0;
            framesReceived = s.framesReceived ?? 0;
            videoPackets = s.packetsReceived ?? 0;
          } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            audioPackets = s.packetsReceived ?? 0;
          }
        });
      }
      remotes[r.display] = {
        framesDecoded, framesReceived, videoPackets, pixel: pixel(r.video), audioPackets,
        audio: r.analyser ? listen(r.analyser) : null, transformIds: r.transformIds,
      };
    }
    return { remotes, call: st.call ? await st.call.stats() : null, transformApi: st.call?.transformApi ?? null, log: st.log, epoch: st.group?.epoch ?? null };
  },

  /** Cheap counters for the CPU benchmark: video frames encoded and sent, decoded per remote, the sent size. */
  async counters() {
    const out = { framesEncoded: 0, framesSent: 0, frameWidth: 0, frameHeight: 0, limitation: null, framesDecoded: {} };
    for (const pc of st.pcs) {
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') {
          out.framesEncoded += s.framesEncoded ?? 0;
          out.framesSent += s.framesSent ?? 0;
          out.frameWidth = s.frameWidth ?? 0;
          out.frameHeight = s.frameHeight ?? 0;
          out.limitation = s.qualityLimitationReason ?? null;
        }
      });
    }
    for (const r of st.remotes.values()) {
      if (!r.pc) continue;
      (await r.pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out.framesDecoded[r.display] = s.framesDecoded ?? 0;
      });
    }
    return out;
  },

  async leave() {
    await st.call?.leave();
    st.pcs.forEach((pc) => pc.close());
    await st.janus?.destroy();
  },
};
window.callTestReady = true;
