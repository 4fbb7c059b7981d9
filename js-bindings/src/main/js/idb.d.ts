/** A small IndexedDB store of Uint8Array values (mlskit's saved state) under string keys. */
export interface StateStore {
  /** The bytes saved under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Saves a copy of `bytes` under `key`. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** All keys, sorted. */
  keys(): Promise<string[]>;
  close(): void;
}

/** Opens (creating if needed) IndexedDB database `name` (default "mlskit") with object store `store` (default "state"). */
export function openStateStore(name?: string, store?: string): Promise<StateStore>;
