// What the chat shows of each conversation, kept across reloads. The MLS state lives in the
// client's own storage; this is the app's log of decrypted lines, in an IndexedDB database of its
// own, sealed with AES-GCM under a non-extractable key like the client's (indexedDbStorage).
import { indexedDbStorage } from 'mlskit/client';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Sort keys: the DS sequence number zero-padded; lines without one (pending, notices) sort after it. */
function seqKey(seq) {
  return String(seq).padStart(15, '0');
}

export class History {
  static async open(user, device) {
    const store = await indexedDbStorage({ name: `mlskit-chat-history/${user}/${device}` });
    const h = new History(store);
    for (const key of await store.keys()) {
      const bytes = await store.get(key);
      if (bytes) h.#index(key, JSON.parse(dec.decode(bytes)));
    }
    return h;
  }

  #store;
  /** group -> Map(key -> line) */
  #groups = new Map();
  #notices = 0;

  constructor(store) {
    this.#store = store;
  }

  #index(key, line) {
    const g = line.group;
    if (!this.#groups.has(g)) this.#groups.set(g, new Map());
    this.#groups.get(g).set(key, line);
  }

  async #put(key, line) {
    this.#index(key, line);
    await this.#store.put(key, enc.encode(JSON.stringify(line)));
  }

  /** Lines of a group in order. */
  lines(group) {
    const m = this.#groups.get(group);
    if (!m) return [];
    return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, l]) => l);
  }

  groups() {
    return [...this.#groups.keys()];
  }

  lastSeq(group) {
    let last = 0;
    for (const l of this.#groups.get(group)?.values() ?? []) if (l.seq > last) last = l.seq;
    return last;
  }

  /** A received message; false when that sequence number is there already. */
  async message(group, seq, user, device, text) {
    const key = `${group}/${seqKey(seq)}`;
    if (this.#groups.get(group)?.has(key)) return false;
    await this.#put(key, { group, seq, user, device, text, kind: 'message', time: Date.now() });
    return true;
  }

  /** An own message as typed, until the DS has it. */
  async pending(group, user, device, text) {
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await this.#put(`${group}/~${id}`, { group, seq: 0, user, device, text, kind: 'message', own: true, pending: id, time: Date.now() });
    return id;
  }

  /** The DS accepted an own message: it moves to its place in the log. */
  async sent(group, seq, text) {
    const m = this.#groups.get(group);
    if (!m) return;
    for (const [key, line] of m) {
      if (line.pending && (text === undefined || line.text === text)) {
        m.delete(key);
        await this.#store.delete(key);
        const { pending, ...rest } = line;
        await this.#put(`${group}/${seqKey(seq)}`, { ...rest, seq });
        return;
      }
    }
  }

  /** A line about the conversation itself (joins, removals), after everything seen so far. */
  async notice(group, text) {
    const key = `${group}/${seqKey(this.lastSeq(group))}#${Date.now().toString(36)}${(this.#notices++).toString(36)}`;
    await this.#put(key, { group, seq: 0, text, kind: 'notice', time: Date.now() });
  }
}
