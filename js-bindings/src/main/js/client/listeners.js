// The event listeners of a client, on the page or proxied from a worker: one registry for both.
import { MlsError } from '../errors.js';

export const EVENTS = Object.freeze(['ready', 'joined', 'message', 'members', 'epoch', 'removed', 'error', 'sent']);

export class Listeners {
  #byEvent = new Map();

  on(event, listener) {
    if (!EVENTS.includes(event)) throw new MlsError('INVALID_ARGUMENT', `unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new MlsError('INVALID_ARGUMENT', 'listener must be a function');
    if (!this.#byEvent.has(event)) this.#byEvent.set(event, new Set());
    this.#byEvent.get(event).add(listener);
  }

  off(event, listener) {
    this.#byEvent.get(event)?.delete(listener);
  }

  emit(event, detail) {
    for (const l of this.#byEvent.get(event) ?? []) {
      try {
        l(detail);
      } catch (e) {
        // A listener's bug must not stop the client; report it where the app's errors go.
        setTimeout(() => {
          throw e;
        });
      }
    }
  }
}
