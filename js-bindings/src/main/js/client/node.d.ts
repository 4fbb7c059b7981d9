// Types of mlskit/client/node: client storage in a directory (Node only).
import type { ClientStorage } from './index.js';

/**
 * Storage in directory `dir` (created if needed): one file per key, written atomically. With
 * `encrypt` (default) values are sealed under the key in DIR/.storage-key (made on first use,
 * mode 0600), or under `key` when given.
 */
export declare function directoryStorage(dir: string, options?: { encrypt?: boolean; key?: CryptoKey }): Promise<ClientStorage>;
