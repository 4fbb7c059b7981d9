// The chat app: sign-in, conversations, messages, members, safety numbers, linking a device, and
// the call of a conversation (call-view.js, call.js). Everything protocol-shaped is mlskit/client's
// and mlskit/call's; this file only draws and forwards intents.
// URL parameters: worker=0 runs the client on the page instead of in a Web Worker; build=js|wasm-gc.
import { MlsClient } from 'mlskit/client';
import { History } from './history.js';
import { CallView } from './call-view.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const SESSION = 'mlskit-chat/session';

const state = {
  client: null,
  history: null,
  me: null,
  selected: null,
  /** group -> GroupState from the client */
  groups: new Map(),
  /** groups this device was removed from (kept to show their history) */
  removed: new Set(),
  unread: new Map(),
  /** the call panel (one call at a time) */
  calls: null,
};

function status(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', isError);
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data')) e.setAttribute(k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}

/** Other members' user names, the conversation's name. */
function title(group) {
  const g = state.groups.get(group);
  if (!g) return state.removed.has(group) ? '(left conversation)' : '…';
  const others = [...new Set(g.members.map((m) => m.user).filter((u) => u !== state.me.user))].sort();
  return others.length ? others.join(', ') : 'just you';
}

async function refreshGroups() {
  const list = await state.client.groups();
  state.groups = new Map(list.map((g) => [g.group, g]));
  drawConversations();
  drawDetails();
}

function drawConversations() {
  const ul = $('conversations');
  ul.replaceChildren();
  const ids = new Set([...state.groups.keys(), ...state.removed]);
  for (const id of ids) {
    const n = state.unread.get(id) ?? 0;
    const li = el('li', { class: id === state.selected ? 'selected' : '', dataTestid: 'conversation', dataGroup: id },
      title(id), n ? el('span', { class: 'unread', dataTestid: 'unread' }, String(n)) : '');
    li.onclick = () => select(id);
    ul.append(li);
  }
}

function select(group) {
  state.selected = group;
  state.unread.delete(group);
  drawConversations();
  drawMessages();
  drawDetails();
  state.calls?.draw();
}

function drawMessages() {
  const group = state.selected;
  $('empty').hidden = group !== null;
  $('conversation').hidden = group === null;
  if (group === null) return;
  $('title').textContent = title(group);
  const gone = state.removed.has(group) || !state.groups.has(group);
  $('removed').hidden = !gone;
  $('compose').querySelector('input').disabled = gone;
  $('compose').querySelector('button').disabled = gone;
  const ol = $('messages');
  ol.replaceChildren();
  for (const line of state.history.lines(group)) {
    if (line.kind === 'notice') {
      ol.append(el('li', { class: 'notice', dataTestid: 'notice' }, line.text));
      continue;
    }
    const own = line.user === state.me.user && line.device === state.me.device;
    ol.append(el('li', { class: own ? 'own' : '', dataTestid: 'message', dataUser: line.user, dataPending: line.pending ? '1' : '0' },
      el('span', { class: 'who' }, `${line.user}/${line.device}`), el('span', { class: 'text' }, line.text),
      line.pending ? el('span', { class: 'fine' }, ' sending…') : ''));
  }
  ol.scrollTop = ol.scrollHeight;
}

function drawDetails() {
  const g = state.selected && state.groups.get(state.selected);
  $('details').hidden = !g;
  if (!g) return;
  $('epoch').textContent = String(g.epoch);
  $('safety').textContent = g.safetyNumber;
  const byUser = new Map();
  for (const m of g.members) byUser.set(m.user, [...(byUser.get(m.user) ?? []), m.device]);
  const ul = $('members');
  ul.replaceChildren();
  for (const [user, devices] of [...byUser.entries()].sort()) {
    const li = el('li', { dataTestid: 'member', dataUser: user }, el('strong', {}, user), ` (${devices.sort().join(', ')})`);
    if (user !== state.me.user) {
      const b = el('button', { type: 'button', dataTestid: `remove-${user}` }, 'Remove');
      b.onclick = () => act(state.client.remove(g.group, user), `removing ${user}…`);
      li.append(' ', b);
    }
    ul.append(li);
  }
  if (g.pendingIntents > 0) status(`${g.pendingIntents} change(s) on the way…`);
}

/** Runs an intent; its effect arrives later as events. */
async function act(promise, message) {
  status(message);
  try {
    await promise;
  } catch (e) {
    status(`${e.code ?? 'ERROR'}: ${e.message}`, true);
  }
}

async function membersChanged(ev) {
  const before = state.groups.get(ev.group)?.members ?? [];
  const had = new Set(before.map((m) => `${m.user}/${m.device}`));
  const has = new Set(ev.members.map((m) => `${m.user}/${m.device}`));
  await refreshGroups();
  if (before.length === 0) return;
  for (const m of has) if (!had.has(m)) await state.history.notice(ev.group, `${m} joined`);
  for (const m of had) if (!has.has(m)) await state.history.notice(ev.group, `${m} left`);
  if (ev.group === state.selected) drawMessages();
}

function wire(client) {
  client.on('joined', async ({ group }) => {
    await refreshGroups();
    await state.history.notice(group, 'you joined');
    if (state.selected === null) select(group);
    status('joined a conversation');
  });
  client.on('message', async (m) => {
    if (!(await state.history.message(m.group, m.seq, m.user, m.device, m.text))) return;
    if (m.group === state.selected) drawMessages();
    else {
      state.unread.set(m.group, (state.unread.get(m.group) ?? 0) + 1);
      drawConversations();
    }
  });
  client.on('sent', async ({ group, seq, text }) => {
    await state.history.sent(group, seq, text);
    if (group === state.selected) drawMessages();
  });
  client.on('members', (ev) => membersChanged(ev));
  client.on('epoch', async ({ group }) => {
    state.calls.epochChanged(group);
    await refreshGroups();
    status('');
  });
  client.on('removed', async ({ group }) => {
    state.removed.add(group);
    await state.calls.removed(group);
    await state.history.notice(group, 'you were removed');
    await refreshGroups();
    if (group === state.selected) drawMessages();
    status('removed from a conversation');
  });
  client.on('error', (e) => status(`${e.code}: ${e.message}`, true));
}

async function start(user, device, ticket) {
  status('');
  $('signin').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = `${user}/${device}`;
  state.me = { user, device };
  state.history = await History.open(user, device);
  const worker = params.get('worker') !== '0';
  const build = params.get('build') ?? 'auto';
  status('opening…');
  const client = await MlsClient.open({ server: location.origin, user, device, linkTicket: ticket || undefined, worker, build });
  state.client = client;
  state.calls = new CallView({
    client, me: state.me, status, selected: () => state.selected,
    member: (g) => state.groups.has(g) && !state.removed.has(g),
  });
  wire(client);
  $('build').textContent = worker ? 'engine in a worker' : 'engine on the page';
  await client.ready();
  localStorage.setItem(SESSION, JSON.stringify({ user, device }));
  await refreshGroups();
  const first = [...state.groups.keys()][0] ?? state.history.groups()[0] ?? null;
  for (const g of state.history.groups()) if (!state.groups.has(g)) state.removed.add(g);
  select(first);
  status('ready');
  document.body.dataset.ready = '1';
}

function signIn() {
  $('chat').hidden = true;
  $('signin').hidden = false;
  $('signin-form').onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    try {
      await start(String(f.get('user')).trim(), String(f.get('device')).trim(), String(f.get('ticket') ?? '').trim());
    } catch (err) {
      localStorage.removeItem(SESSION);
      $('chat').hidden = true;
      $('signin').hidden = false;
      alert(`Sign-in failed: ${err.code ?? ''} ${err.message}`);
    }
  };
}

function controls() {
  $('new-group').onclick = async () => {
    status('creating…');
    try {
      const g = await state.client.createGroup();
      await refreshGroups();
      select(g);
      status('conversation created: invite someone');
    } catch (e) {
      status(`${e.code}: ${e.message}`, true);
    }
  };
  $('compose').onsubmit = async (e) => {
    e.preventDefault();
    const input = e.target.elements.text;
    const text = input.value;
    const group = state.selected;
    if (!text || !group) return;
    input.value = '';
    await state.history.pending(group, state.me.user, state.me.device, text);
    drawMessages();
    await act(state.client.send(group, text), '');
  };
  $('invite').onsubmit = async (e) => {
    e.preventDefault();
    const input = e.target.elements.user;
    const user = input.value.trim();
    input.value = '';
    await act(state.client.invite(state.selected, user), `inviting ${user}…`);
  };
  $('update').onclick = () => act(state.client.update(state.selected), 'updating keys…');
  $('leave').onclick = () => act(state.client.leave(state.selected), 'leaving…');
  $('sign-out').onclick = async () => {
    localStorage.removeItem(SESSION);
    await state.client?.close();
    location.reload();
  };
  $('link-device').onclick = () => {
    $('ticket').textContent = '';
    $('ticket-note').textContent = '';
    $('ticket-dialog').showModal();
  };
  $('ticket-ask').onclick = async () => {
    const name = $('ticket-form').elements.device.value.trim();
    try {
      const t = await state.client.linkTicket(name);
      $('ticket').textContent = t.ticket;
      $('ticket-note').textContent = `On the new device sign in as ${state.me.user}, device ${name}, with this ticket ` +
        `(valid until ${new Date(t.expiresAt * 1000).toLocaleTimeString()}). Then invite ${state.me.user} again in each ` +
        'conversation to add the new device.';
    } catch (e) {
      $('ticket-note').textContent = `${e.code}: ${e.message}`;
    }
  };
}

controls();
const saved = localStorage.getItem(SESSION);
if (saved) {
  const { user, device } = JSON.parse(saved);
  start(user, device).catch((e) => {
    status(`${e.code ?? 'ERROR'}: ${e.message}`, true);
  });
} else {
  signIn();
}
