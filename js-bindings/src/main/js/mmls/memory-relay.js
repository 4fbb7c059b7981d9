// MemoryRelay: an in-process broadcast relay for tests and demos. Every endpoint gets every
// payload another endpoint sends, asynchronously, with optional loss, duplication and
// reordering drawn from a seeded generator (so a failing run replays with its seed).

/** mulberry32: small, fast, seeded; not for secrets. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function probability(v, name) {
  if (v === undefined) return 0;
  if (typeof v === 'number' && v >= 0 && v <= 1) return v;
  throw new RangeError(`${name} must be a probability from 0 to 1`);
}

export class MemoryRelay {
  #endpoints = new Set();
  #random;
  #loss;
  #duplicate;
  #delay;
  #jitter;
  #inFlight = 0;
  #waiters = [];
  #stats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };

  /**
   * `loss` and `duplicate`: per delivery probabilities; `delay` ms before each delivery and
   * `reorder` ms of extra random delay (deliveries overtake each other); `seed` for the draws.
   */
  constructor(options = {}) {
    this.#loss = probability(options.loss, 'loss');
    this.#duplicate = probability(options.duplicate, 'duplicate');
    this.#delay = options.delay ?? 0;
    this.#jitter = options.reorder ?? 0;
    if (!(this.#delay >= 0 && this.#jitter >= 0)) throw new RangeError('delay and reorder must be non-negative ms');
    this.#random = generator(options.seed ?? 1);
  }

  /** Counts of payloads sent and of deliveries made, dropped and duplicated. */
  get stats() { return { ...this.#stats }; }

  /** A new endpoint on this relay (an MmlsTransport). */
  connect() {
    const relay = this;
    const endpoint = {
      receiver: null,
      open: true,
      send(bytes) {
        if (!endpoint.open) throw new Error('this MemoryRelay endpoint is closed');
        relay.#broadcast(endpoint, bytes);
      },
      onReceive(cb) {
        endpoint.receiver = cb;
      },
      close() {
        endpoint.open = false;
        relay.#endpoints.delete(endpoint);
      },
    };
    this.#endpoints.add(endpoint);
    return { send: endpoint.send, onReceive: endpoint.onReceive, close: endpoint.close };
  }

  /** Resolves once no delivery is in flight. */
  idle() {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #broadcast(from, bytes) {
    this.#stats.sent++;
    for (const to of this.#endpoints) {
      if (to === from) continue;
      if (this.#random() < this.#loss) {
        this.#stats.dropped++;
        continue;
      }
      const copies = this.#random() < this.#duplicate ? 2 : 1;
      if (copies === 2) this.#stats.duplicated++;
      for (let i = 0; i < copies; i++) this.#deliver(to, bytes.slice());
    }
  }

  #deliver(to, bytes) {
    this.#inFlight++;
    setTimeout(() => {
      this.#inFlight--;
      if (to.open && to.receiver !== null) {
        this.#stats.delivered++;
        to.receiver(bytes);
      }
      if (this.#inFlight === 0) for (const w of this.#waiters.splice(0)) w();
    }, this.#delay + this.#random() * this.#jitter);
  }
}
