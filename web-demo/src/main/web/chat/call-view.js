// The call panel of a conversation: the Call / Leave call buttons, the end-to-end encryption and
// key epoch indicator, a tile per participant (named by the group member its frames decrypt
// under, see call.js) and what went wrong (camera refused, no Janus, removed from the group).
import { GroupCall } from './call.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 1000;

/** The app's one call (a device is in at most one call), drawn into #call. */
export class CallView {
  /** app: {client, me, selected(): group id or null, status(text, isError)} */
  constructor(app) {
    this.app = app;
    this.current = null; // GroupCall
    this.janusUrl = undefined; // undefined: not asked yet; null: the DS names no Janus
    this.ended = null; // {group, why} of the last call that ended by itself
    this.tiles = new Map(); // feed id -> tile element
    this.timer = null;
    $('call-start').onclick = () => this.start();
    $('call-leave').onclick = () => this.leave();
  }

  /** The Janus URL from the DS (/config.json), asked once. */
  async janus() {
    if (this.janusUrl === undefined) {
      try {
        const r = await fetch('/config.json', { cache: 'no-store' });
        this.janusUrl = r.ok ? ((await r.json()).janus ?? null) : null;
      } catch {
        this.janusUrl = null;
      }
    }
    return this.janusUrl;
  }

  async start() {
    const group = this.app.selected();
    if (!group || this.current) return;
    const url = await this.janus();
    if (!url) {
      this.app.status('Calls are off: this delivery service names no media server (start it with --janus URL; bin/mlskit demo does).', true);
      return;
    }
    this.ended = null;
    this.current = new GroupCall({ client: this.app.client, group, janusUrl: url, me: this.app.me, onChange: () => this.draw() });
    this.draw();
    this.app.status('joining the call…');
    try {
      await this.current.start();
      this.app.status('in the call');
      this.timer = setInterval(() => this.draw(), REFRESH_MS);
    } catch (e) {
      const call = this.current;
      await this.#end(`the call could not start: ${e.code ?? e.name ?? ''} ${e.message}`);
      await call.hangUp('failed');
    }
  }

  async leave() {
    const call = this.current;
    if (!call) return;
    await this.#end(null);
    await call.hangUp();
    this.app.status('left the call');
  }

  async #end(why) {
    if (why) {
      this.ended = { group: this.current.group, why };
      this.app.status(why, true);
    }
    clearInterval(this.timer);
    this.current = null;
    this.tiles.clear();
    this.draw();
  }

  /** The group moved to a new epoch: so do the call's keys. */
  epochChanged(group) {
    if (this.current?.group === group) this.current.epochChanged();
  }

  /** This device is no longer in the group: its own app hangs up. */
  async removed(group) {
    const call = this.current;
    if (call?.group !== group) return;
    await this.#end('The call ended: this device is no longer a member of the group.');
    await call.hangUp('removed');
  }

  async draw() {
    const group = this.app.selected();
    const call = this.current;
    const here = call && call.group === group;
    $('call-start').hidden = !group || !!call || !this.app.member(group);
    $('call-start').textContent = 'Call';
    $('call').hidden = !here && !(this.ended && this.ended.group === group);
    $('call-leave').hidden = !here;
    const notice = here ? call.notice : this.ended?.why;
    $('call-notice').textContent = notice ?? '';
    $('call-notice').hidden = !notice;
    if (!here) {
      $('call-e2ee').hidden = true;
      $('call-tiles').replaceChildren();
      this.tiles.clear();
      return;
    }
    $('call-e2ee').hidden = false;
    this.#self(call);
    const s = await call.status();
    if (this.current !== call) return;
    $('call-epoch').textContent = s.epoch ?? '…';
    $('call').dataset.epoch = s.epoch ?? '';
    const seen = new Set();
    for (const r of s.remotes) {
      seen.add(r.feed);
      this.#tile(r);
    }
    for (const [feed, t] of this.tiles) {
      if (feed !== 'self' && !seen.has(feed)) {
        t.remove();
        this.tiles.delete(feed);
      }
    }
  }

  #self(call) {
    if (this.tiles.has('self') || !call.local) return;
    const v = Object.assign(document.createElement('video'), { muted: true, autoplay: true, playsInline: true });
    v.srcObject = call.local;
    const t = tileElement(v, `${this.app.me.user}/${this.app.me.device} (you)`);
    t.dataset.testid = 'call-self';
    $('call-tiles').prepend(t);
    this.tiles.set('self', t);
  }

  #tile(r) {
    let t = this.tiles.get(r.feed);
    if (!t) {
      const v = Object.assign(document.createElement('video'), { autoplay: true, playsInline: true });
      v.srcObject = r.stream;
      t = tileElement(v, '');
      t.dataset.testid = 'call-tile';
      $('call-tiles').append(t);
      this.tiles.set(r.feed, t);
    }
    const label = r.state === 'member' ? r.name
      : r.state === 'not-in-group' ? 'not in the group: its frames do not decrypt'
        : r.state === 'failed' ? `could not connect: ${r.error}` : 'connecting…';
    t.querySelector('.name').textContent = label;
    t.dataset.state = r.state;
    t.dataset.name = r.state === 'member' ? r.name : '';
    t.dataset.frames = String(r.framesDecoded);
    t.classList.toggle('outsider', r.state === 'not-in-group');
  }
}

function tileElement(video, name) {
  const t = document.createElement('figure');
  t.className = 'tile';
  const cap = document.createElement('figcaption');
  cap.className = 'name';
  cap.textContent = name;
  t.append(video, cap);
  return t;
}
