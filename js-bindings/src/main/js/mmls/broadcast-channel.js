// BroadcastChannelTransport: an MmlsTransport over BroadcastChannel, between the tabs, frames
// and workers of one origin (and between worker_threads or channels of one Node process).
export class BroadcastChannelTransport {
  #channel;
  #receiver = null;

  /** `name`: the channel's name; every transport with that name gets the others' payloads. */
  constructor(name, options = {}) {
    const Channel = options.BroadcastChannel ?? globalThis.BroadcastChannel;
    if (typeof Channel !== 'function') throw new Error('BroadcastChannel is not available here');
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('name must be a non-empty string');
    this.#channel = new Channel(name);
    this.#channel.onmessage = (e) => {
      if (this.#receiver !== null && e.data instanceof Uint8Array) this.#receiver(e.data);
    };
  }

  send(bytes) {
    this.#channel.postMessage(bytes);
  }

  onReceive(cb) {
    this.#receiver = cb;
  }

  close() {
    this.#receiver = null;
    this.#channel.close();
  }
}
