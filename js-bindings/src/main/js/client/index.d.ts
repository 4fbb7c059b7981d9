// Types of mlskit/client: a messaging client for one device against the mlskit delivery service.

/** Where the client keeps its state: an async key -> bytes map. Keys and values are opaque. */
export interface ClientStorage {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /** Optional: writes one step's changes together (null deletes the key). */
  apply?(changes: Array<[string, Uint8Array | null]>): Promise<void>;
  close?(): void | Promise<void>;
}

export interface MlsClientOptions {
  /** The delivery service's base URL, e.g. "https://chat.example" or "http://127.0.0.1:8080". */
  server: string;
  /** 1-64 of A-Z a-z 0-9 . _ - */
  user: string;
  /** 1-64 of A-Z a-z 0-9 . _ - */
  device: string;
  /** Default: IndexedDB database `storageName`, encrypted unless `encrypt: false` (browsers and workers). */
  storage?: ClientStorage;
  /** The IndexedDB database of the default storage (default "mlskit-client/USER/DEVICE"). */
  storageName?: string;
  /** Seal the default storage's values with AES-GCM under a non-extractable key (default true). */
  encrypt?: boolean;
  /** The MLS cipher suite of a new device (default 1). */
  cipherSuite?: number;
  /** Native build: 'auto' (default), 'wasm-gc' or 'js'. */
  build?: 'auto' | 'wasm-gc' | 'js';
  /** One-time KeyPackages kept at the DS (default 20), topped up below lowWater (default half). */
  keyPackages?: number;
  lowWater?: number;
  /** A further device of an existing user registers with a ticket another of its devices got (MlsClient#linkTicket). */
  linkTicket?: string;
  /**
   * Run the engine in a module Web Worker (browsers): `true` starts mlskit/client/worker, or a
   * function returning a started worker (e.g. a bundler's worker constructor). The API is the
   * same; storage is then the worker's IndexedDB (storageName, encrypt), and storage, fetch and
   * WebSocket cannot be passed.
   */
  worker?: boolean | (() => WorkerLike);
  /** Stand-ins for the globals (e.g. a WebSocket class on Node 20). */
  fetch?: typeof fetch;
  WebSocket?: unknown;
}

/** What worker mode needs of a worker. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: any }) => void) | null;
  terminate(): void;
}

export interface Member {
  user: string;
  device: string;
  leaf: number;
}

export interface GroupState {
  /** The group id (hex). */
  group: string;
  epoch: number;
  members: Member[];
  epochAuthenticator: Uint8Array;
  /** 8 groups of 5 digits from the epoch authenticator: equal on every member in the same epoch. */
  safetyNumber: string;
  /** Invites, removals and updates not yet carried by an accepted commit. */
  pendingIntents: number;
}

export interface MessageEvent {
  group: string;
  user: string;
  device: string;
  data: Uint8Array;
  /** data as UTF-8. */
  text: string;
  epoch: number;
  seq: number;
}

export interface ClientEvents {
  /** Signed in at the DS, KeyPackages in place. */
  ready: {};
  /** Created or joined a group. */
  joined: { group: string };
  message: MessageEvent;
  members: { group: string; epoch: number; members: Array<{ user: string; device: string }> };
  epoch: { group: string; epoch: number; authenticator: Uint8Array; safetyNumber: string };
  /** This device is no longer in the group. */
  removed: { group: string };
  /** An own message (data, text: what was sent) or leave is durable at the DS. */
  sent: { group: string; seq: number; data?: Uint8Array; text?: string };
  /** Something failed; the state is unchanged. `group` is null for device-wide errors. */
  error: { group: string | null; code: string; message: string };
}

export type ClientEventName = keyof ClientEvents;

export declare class MlsClient {
  private constructor(key: symbol);
  static open(options: MlsClientOptions): Promise<MlsClient>;
  on<E extends ClientEventName>(event: E, listener: (detail: ClientEvents[E]) => void): this;
  off<E extends ClientEventName>(event: E, listener: (detail: ClientEvents[E]) => void): this;
  /** Resolves once signed in at the DS. */
  ready(): Promise<void>;
  /** Resolves to the new group's id once the DS has it. */
  createGroup(): Promise<string>;
  /** The intents resolve once saved; their effect follows as 'members' / 'epoch' / 'removed' events. */
  invite(group: string, user: string): Promise<void>;
  remove(group: string, user: string): Promise<void>;
  leave(group: string): Promise<void>;
  update(group: string): Promise<void>;
  send(group: string, message: string | Uint8Array): Promise<void>;
  info(): Promise<{ user: string; device: string; ready: boolean; cursor: number }>;
  /** A ticket for a new device of this user (valid 10 minutes): open that device with `{ linkTicket: ticket }`. */
  linkTicket(device: string): Promise<{ user: string; device: string; ticket: string; expiresAt: number }>;
  groups(): Promise<GroupState[]>;
  group(group: string): Promise<GroupState | null>;
  members(group: string): Promise<Member[]>;
  safetyNumber(group: string): Promise<string | null>;
  /**
   * MLS-Exporter(label, context, length) of the group's current epoch with that epoch's leaves,
   * or null when this device is not in the group.
   */
  exportSecret(group: string, label: string, context: string | Uint8Array, length: number): Promise<ExportedSecret | null>;
  close(): Promise<void>;
}

/** 8 groups of 5 digits from an epoch authenticator. */
/** An exporter secret and the epoch it belongs to. */
export interface ExportedSecret {
  epoch: number;
  secret: Uint8Array;
  myLeaf: number;
  memberLeaves: number[];
}

export declare function safetyNumberOf(authenticator: Uint8Array): string;
/** State in memory only. */
export declare function memoryStorage(): ClientStorage;
/** `inner` with every value sealed by AES-GCM under `key` (the key name as additional data). */
export declare function sealedStorage(inner: ClientStorage, key: CryptoKey): ClientStorage;
/** A fresh non-extractable AES-256-GCM key. */
export declare function generateStorageKey(): Promise<CryptoKey>;
/** IndexedDB storage, encrypted by default under a non-extractable CryptoKey kept in the same database. */
export declare function indexedDbStorage(options?: { name?: string; encrypt?: boolean }): Promise<ClientStorage>;
