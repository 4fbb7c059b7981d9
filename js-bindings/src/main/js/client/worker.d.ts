// Types of mlskit/client/worker: the module worker behind MlsClient.open({ worker: true }).
import type { ClientStorage } from './index.js';

/** Anything that posts and receives messages like a worker's global scope. */
export interface MessageScope {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: any }) => void) | null;
}

/**
 * Serves one client over `scope`. In a module worker this runs by itself on `self`; call it in
 * other message-passing hosts, with `openStorage` to choose the storage.
 */
export declare function serve(scope: MessageScope, options?: { openStorage?: (options: object) => Promise<ClientStorage> }): void;
