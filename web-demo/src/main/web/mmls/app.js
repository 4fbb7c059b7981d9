// The Multi-MLS demo: one participant per tab, over the delivery service used as a plain relay
// (mlskit/mmls's DsRelayTransport). Each participant owns a send group; the DS orders nothing and
// stores only signed logs of MLS ciphertexts. KeyPackages go through the DS's directory (MIMI
// "fetch key material"). State (identity, session, mailbox cursor) is kept in localStorage, so a
// reload resumes. window.mmlsDemo exposes the state to the browser tests (e2e-tests MmlsPartitionTest).
import { init, Client } from 'mlskit';
import { MmlsSession, MmlsPeer, DsRelayTransport } from 'mlskit/mmls';

const $ = (id) => document.getElementById(id);
const DEVICE = 'mmls';
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const text = new TextDecoder();
const hex = (b) => (b ? [...b.slice(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join('') : '—');
const b64 = (u) => btoa(String.fromCharCode(...u));
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const userOf = (id) => id.split('/')[0];

const state = { ready: false, me: null, messages: [], events: [], online: false, error: null };
let peer = null;

function status(msg, error = false) {
  $('status').textContent = msg;
  $('status').classList.toggle('error', error);
  if (error) state.error = msg;
}

function show(li, cls) {
  if (cls) li.classList.add(cls);
  $('messages').append(li);
  li.scrollIntoView({ block: 'end' });
}

function notice(msg) {
  const li = document.createElement('li');
  li.textContent = msg;
  show(li, 'notice');
}

function message(from, body, own) {
  state.messages.push({ from, text: body });
  const li = document.createElement('li');
  li.dataset.testid = 'message';
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = own ? 'you' : from;
  li.append(who, document.createTextNode(body));
  show(li, own ? 'own' : null);
}

function render() {
  if (!peer || peer.closed) return;
  const s = peer.session;
  $('roster').replaceChildren(...s.roster.map((id) => {
    const li = document.createElement('li');
    li.textContent = userOf(id);
    return li;
  }));
  const rows = [s.id, ...s.senders].map((owner) => {
    const tr = document.createElement('tr');
    tr.dataset.owner = owner;
    for (const v of [owner === s.id ? 'you' : userOf(owner), String(s.epoch(owner)), hex(s.epochAuthenticator(owner))]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    tr.lastChild.className = 'mono';
    return tr;
  });
  $('groups').tBodies[0].replaceChildren(...rows);
}

function link(online) {
  state.online = online;
  $('link').textContent = online ? 'relay connected' : 'offline: sends wait';
  $('link').className = `link ${online ? 'online' : 'offline'}`;
}

/** Claims one KeyPackage of each other participant from the DS's directory, waiting for those not there yet. */
async function claimAll(transport, others) {
  const out = new Map();
  while (out.size < others.length) {
    for (const id of others) {
      if (out.has(id)) continue;
      try {
        const kp = await transport.claimKeyPackage(id);
        if (kp) out.set(id, kp);
      } catch (e) {
        if (e.code !== 'NOT_FOUND' && e.code !== 'UNREACHABLE') throw e;
      }
    }
    if (out.size < others.length) {
      status(`waiting for ${others.filter((id) => !out.has(id)).map(userOf).join(', ')} to open the page…`);
      await new Promise((r) => setTimeout(r, 700));
    }
  }
  return others.map((id) => out.get(id));
}

async function join(me, peers, sessionName) {
  $('setup').hidden = true;
  $('room').hidden = false;
  $('me').textContent = `${me} · session ${sessionName}`;
  status('loading mlskit…');
  const build = await init();
  const id = `${me}/${DEVICE}`;
  const others = peers.map((p) => `${p}/${DEVICE}`);
  const key = `mmls:${sessionName}:${me}`;
  const saved = JSON.parse(localStorage.getItem(key) ?? 'null');
  const client = saved ? Client.load(unb64(saved.client)) : Client.create({ identity: id });
  const session = saved ? MmlsSession.load(unb64(saved.session)) : MmlsSession.create(client, { sessionId: sessionName, keyPackages: others.length });
  const clientState = b64(client.save()); // the identity never changes: encoded once
  const persist = (bytes, cursor) => {
    const cur = JSON.parse(localStorage.getItem(key) ?? '{}');
    localStorage.setItem(key, JSON.stringify({
      client: clientState, session: bytes ? b64(bytes) : cur.session, cursor: cursor ?? cur.cursor ?? 0,
    }));
  };
  const transport = new DsRelayTransport(location.origin, {
    client, to: () => [...new Set([...others, ...session.roster, ...session.senders])], after: saved?.cursor ?? 0,
    onCursor: (c) => persist(null, c),
  });
  transport.onStatus((online) => {
    link(online);
    if (online && peer) peer.announce().catch(() => {});
  });
  await transport.ready;
  state.me = id;
  peer = new MmlsPeer(session, transport, { save: (bytes) => persist(bytes), antiEntropyInterval: 3000 });
  peer.on('message', (e) => {
    message(userOf(e.sender), text.decode(e.data), false);
    render();
  });
  for (const kind of ['joined', 'roster', 'removed', 'equivocation', 'rejected']) {
    peer.on(kind, (e) => {
      state.events.push({ type: e.type, owner: e.owner });
      if (kind === 'joined') notice(`you read ${userOf(e.owner)}'s send group`);
      if (kind === 'removed') notice(`${userOf(e.owner)} removed you from their send group`);
      if (kind === 'equivocation') notice(`${userOf(e.owner)} equivocated: evidence kept`);
      render();
    });
  }
  peer.on('error', (e) => status(e.message, true));
  if (!saved) {
    persist(session.save());
    status('publishing KeyPackages…');
    await transport.uploadKeyPackages([...session.keyPackages]);
    const kps = await claimAll(transport, others);
    await peer.start(kps);
  }
  state.ready = true;
  status(`ready: ${build} build; the DS relays, it orders nothing`);
  render();
}

$('compose').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = $('compose-text').value.trim();
  if (!body || !peer) return;
  $('compose-text').value = '';
  await peer.send(body);
  message('you', body, true);
  render();
});

$('update').addEventListener('click', async () => {
  if (!peer) return;
  await peer.update();
  notice('you updated your keys');
  render();
});

window.mmlsDemo = {
  state: () => ({
    ...state,
    roster: peer ? peer.session.roster.map(userOf) : [],
    senders: peer ? peer.session.senders.map(userOf) : [],
    groups: peer ? Object.fromEntries([peer.session.id, ...peer.session.senders].map((o) => [userOf(o), {
      epoch: peer.session.epoch(o), authenticator: hex(peer.session.epochAuthenticator(o)),
    }])) : {},
  }),
};

const q = new URLSearchParams(location.search);
function start(me, peersText, sessionName) {
  const peers = peersText.split(',').map((s) => s.trim()).filter(Boolean);
  if (!NAME.test(me) || !NAME.test(sessionName) || peers.length === 0 || !peers.every((p) => NAME.test(p) && p !== me)) {
    status('names: 1 to 64 of A-Z a-z 0-9 . _ -, and at least one other participant', true);
    return;
  }
  join(me, peers, sessionName).catch((e) => status(`${e.code ?? 'ERROR'}: ${e.message}`, true));
}
if (q.get('me') && q.get('peers')) {
  start(q.get('me'), q.get('peers'), q.get('session') ?? 'demo');
} else {
  $('setup').hidden = false;
  $('setup-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    history.replaceState(null, '', `?me=${encodeURIComponent(f.get('me'))}&peers=${encodeURIComponent(f.get('peers'))}`
      + `&session=${encodeURIComponent(f.get('session'))}`);
    start(String(f.get('me')), String(f.get('peers')), String(f.get('session')));
  });
}
