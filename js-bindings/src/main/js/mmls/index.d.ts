// Types of mlskit/mmls: Multi-MLS (one send group per participant, logs that merge in any order)
// over any dumb relay. Call and await init() from 'mlskit' first.
import type { Client } from '../index.js';

/** The local policy of a session (each default true). */
export interface MmlsPolicy {
  /** Leave an owner's send group's roster view when that owner removes us. */
  followRemovals?: boolean;
  /** Remove a participant caught equivocating from our own send group. */
  removeEquivocators?: boolean;
  /** Commit pending proposals and imports before each application message. */
  commitBeforeSend?: boolean;
  /**
   * Excise members of our send group we heard nothing from during our last N epochs, while a
   * majority of our roster is active (draft -02; docs/multi-mls.md "Excision"). Default 0: never.
   */
  exciseSilentAfter?: number;
}

export interface MmlsCreateOptions extends MmlsPolicy {
  /** The session's id, shared by every participant (a string is UTF-8). */
  sessionId: string | Uint8Array;
  /** Fresh KeyPackages to make, one for each other participant's send group (0-1024, default 0). */
  keyPackages?: number;
}

/** The two signed entries that prove an equivocation; anyone can check them with MmlsSession.verifyEquivocation. */
export interface EquivocationEvidence {
  kind: 'SAME_POSITION' | 'SAME_EPOCH';
  author: string;
  first: Uint8Array;
  second: Uint8Array;
}

interface EventBase {
  /** The participant the event is about: the owner of the send group it concerns. */
  owner: string;
  detail: string | null;
}

/** An application message from `sender`, the owner of the send group it came in. */
export interface MmlsMessageEvent extends EventBase { type: 'message'; sender: string; data: Uint8Array; }
/** We joined `owner`'s send group. */
export interface MmlsJoinedEvent extends EventBase { type: 'joined'; }
/** The members of `owner`'s send group changed (our own: our roster); `members` as after the step. */
export interface MmlsRosterEvent extends EventBase { type: 'roster'; members: string[]; }
/** `owner` removed us from its send group. */
export interface MmlsRemovedEvent extends EventBase { type: 'removed'; }
/** We excised `owner` from our send group: silent beyond `exciseSilentAfter` epochs. */
export interface MmlsExcisedEvent extends EventBase { type: 'excised'; }
/** `owner`'s log waits on a commit dependency not yet satisfiable (not an error; reported once). */
export interface MmlsWaitingEvent extends EventBase { type: 'waiting'; }
/** `owner`'s commit imports an epoch from the branch of an equivocation we did not follow. */
export interface MmlsForkedDependencyEvent extends EventBase { type: 'forkedDependency'; }
/** `owner` equivocated; `evidence` proves it. */
export interface MmlsEquivocationEvent extends EventBase { type: 'equivocation'; evidence: EquivocationEvidence; }
/** An item of `owner`'s log was refused (`code` says why) and skipped. */
export interface MmlsRejectedEvent extends EventBase { type: 'rejected'; code: string | null; }

export type MmlsEvent = MmlsMessageEvent | MmlsJoinedEvent | MmlsRosterEvent | MmlsRemovedEvent | MmlsExcisedEvent | MmlsWaitingEvent
  | MmlsForkedDependencyEvent | MmlsEquivocationEvent | MmlsRejectedEvent;

/** The result of one call: our new log entries to publish (in order) and the events. */
export interface MmlsStep {
  entries: Uint8Array[];
  events: MmlsEvent[];
  /** For receive(): whether the entry was new here (worth forwarding). */
  received: boolean;
}

/** One participant of a Multi-MLS session: sans-I/O and synchronous. Errors are MlsErrors with the core's code. */
export declare class MmlsSession {
  private constructor();
  /** A participant named by `client`'s basic credential (its identity is the participant id). */
  static create(client: Client, options: MmlsCreateOptions): MmlsSession;
  /** A session saved with save(); not one: MALFORMED. */
  static load(state: Uint8Array, options?: MmlsPolicy): MmlsSession;
  /** Whether the two entries alone prove that the holder of `authorKey` equivocated. */
  static verifyEquivocation(cipherSuite: number, authorKey: Uint8Array, evidence: EquivocationEvidence): boolean;

  /** The KeyPackages create() made (MLSMessages), one per other send group; empty after load(). */
  readonly keyPackages: readonly Uint8Array[];
  readonly id: string;
  readonly cipherSuite: number;
  readonly sessionId: Uint8Array;
  /** The id of our own send group. */
  readonly groupId: Uint8Array;
  /** Whom we send to: the other members of our send group. */
  readonly roster: string[];
  /** Owners of the send groups we are a member of. */
  readonly senders: string[];
  /** Authors caught equivocating. */
  readonly equivocators: string[];
  /** Whether proposals wait for our next commit. */
  readonly pending: boolean;

  /** INIT: adds the others (their KeyPackages for our send group); once, first. */
  start(keyPackages: Uint8Array[]): MmlsStep;
  add(keyPackage: Uint8Array): MmlsStep;
  remove(participant: string): MmlsStep;
  /** UPDATE: fresh keys in our send group and an Update proposal in every other. */
  update(): MmlsStep;
  /** COMMIT: commits pending proposals and imports the others' new epochs. */
  commit(): MmlsStep;
  /** PROTECT: an application message to the roster (a string is UTF-8). */
  protect(data: Uint8Array | string): MmlsStep;
  /** Any entry of any log, in any order, duplicates welcome; not an entry: MALFORMED and nothing changes. */
  receive(entry: Uint8Array): MmlsStep;

  /** The members (owner excluded) of `owner`'s send group as we see it, or null. */
  members(owner: string): string[] | null;
  /** The epoch of `owner`'s send group here, or -1 when not a member. */
  epoch(owner: string): number;
  /** Its epoch authenticator here (members compare it to agree), or null when not a member. */
  epochAuthenticator(owner: string): Uint8Array | null;
  /** MLS-Exporter(label, context, length) of its current epoch; not a member: UNKNOWN_MEMBER. */
  exportFrom(owner: string, label: string, context: Uint8Array | string, length: number): Uint8Array;
  /** The signature key of `author`'s log as known here, or null. */
  authorKey(author: string): Uint8Array | null;
  /** What we hold of every log, encoded, for anti-entropy. */
  summary(): Uint8Array;
  /** The entries a peer whose summary() is `summary` lacks; not a summary: MALFORMED. */
  missingFor(summary: Uint8Array): Uint8Array[];
  /** The whole session, private keys included: keep it secret. */
  save(): Uint8Array;
  free(): void;
}

/**
 * What MmlsPeer needs of a relay: a dumb broadcast (every participant gets every payload; it
 * ignores those it cannot use). Order, loss and duplicates do not matter.
 */
export interface MmlsTransport {
  send(bytes: Uint8Array): Promise<void> | void;
  /** Called once, with the peer's receiver. */
  onReceive(callback: (bytes: Uint8Array) => void): void;
  close(): void;
}

export interface MmlsPeerOptions {
  /** Called with the session's state after every step that changed it, before its entries are published; a failure closes the peer. */
  save?: (state: Uint8Array) => void | Promise<void>;
  /** Ms between summary announcements while online (default 5000; 0: only on connect and reconnect). */
  antiEntropyInterval?: number;
  /** Re-send others' entries that are new here (relays that do not reach everyone; default false). */
  forward?: boolean;
  /** Start online (default true). */
  online?: boolean;
}

export interface MmlsPeerEvents {
  message: MmlsMessageEvent;
  joined: MmlsJoinedEvent;
  roster: MmlsRosterEvent;
  removed: MmlsRemovedEvent;
  excised: MmlsExcisedEvent;
  waiting: MmlsWaitingEvent;
  forkedDependency: MmlsForkedDependencyEvent;
  equivocation: MmlsEquivocationEvent;
  rejected: MmlsRejectedEvent;
  /** A storage failure (the peer closes) or a failed send (anti-entropy retries). */
  error: Error;
}

export declare const PEER_EVENTS: readonly (keyof MmlsPeerEvents)[];

/** An MmlsSession on a relay: publishes, receives, saves, answers anti-entropy, goes offline and back. */
export declare class MmlsPeer {
  constructor(session: MmlsSession, transport: MmlsTransport, options?: MmlsPeerOptions);
  readonly session: MmlsSession;
  readonly online: boolean;
  readonly closed: boolean;
  readonly stats: { framesIn: number; framesOut: number; ignored: number };
  on<K extends keyof MmlsPeerEvents>(event: K, listener: (e: MmlsPeerEvents[K]) => void): this;
  off<K extends keyof MmlsPeerEvents>(event: K, listener: (e: MmlsPeerEvents[K]) => void): this;
  start(keyPackages: Uint8Array[]): Promise<MmlsStep>;
  add(keyPackage: Uint8Array): Promise<MmlsStep>;
  remove(participant: string): Promise<MmlsStep>;
  update(): Promise<MmlsStep>;
  commit(): Promise<MmlsStep>;
  /** PROTECT and publish. */
  send(data: Uint8Array | string): Promise<MmlsStep>;
  /** Resolves once every step queued so far is done. */
  idle(): Promise<void>;
  /** Announces our summary now. */
  announce(): Promise<void>;
  /** Offline: nothing sent, arrivals dropped. Back online: announces the summary to catch up both ways. */
  setOnline(online: boolean): void;
  /** Stops the timer and closes the transport (the session stays the caller's). */
  close(): void;
}

export interface MemoryRelayOptions {
  /** Probability that a delivery is dropped. */
  loss?: number;
  /** Probability that a delivery happens twice. */
  duplicate?: number;
  /** Ms before every delivery (default 0). */
  delay?: number;
  /** Up to this many ms of extra random delay, so deliveries overtake each other (default 0). */
  reorder?: number;
  /** Seed of the draws (default 1). */
  seed?: number;
}

/** An in-process broadcast relay for tests and demos. */
export declare class MemoryRelay {
  constructor(options?: MemoryRelayOptions);
  readonly stats: { sent: number; delivered: number; dropped: number; duplicated: number };
  connect(): MmlsTransport;
  /** Resolves once no delivery is in flight. */
  idle(): Promise<void>;
}

/** MmlsTransport over BroadcastChannel (tabs, workers and frames of one origin; Node too). */
export declare class BroadcastChannelTransport implements MmlsTransport {
  constructor(name: string, options?: { BroadcastChannel?: typeof BroadcastChannel });
  send(bytes: Uint8Array): void;
  onReceive(callback: (bytes: Uint8Array) => void): void;
  close(): void;
}

export declare const FrameType: { readonly ENTRY: 1; readonly SUMMARY: 2 };
/** A relay frame: type, then the session id (opaque<V>) and the body. */
export declare function encodeFrame(type: number, sessionId: Uint8Array, body: Uint8Array): Uint8Array;
/** The parts of a frame, or null when the bytes are not one. */
export declare function decodeFrame(bytes: Uint8Array): { type: number; sessionId: Uint8Array; body: Uint8Array } | null;

export interface DsRelayTransportOptions {
  /** The session's Client: its basic credential must be "user/device", which is also its participant id. */
  client: Client;
  /** Whom to relay to: "user" or "user/device" names (the participants' ids), or a function returning them. */
  to: string[] | (() => string[]);
  /** The mailbox cursor to resume from (default 0: everything the DS still holds). */
  after?: number;
  /** Called with the cursor after each delivered batch, to persist it. */
  onCursor?: (cursor: number) => void;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** A WebSocket class (default: the global one). */
  WebSocket?: typeof WebSocket;
}

/**
 * MmlsTransport over an mlskit delivery service used as a plain relay (POST /v1/relay and the
 * mailbox socket): it registers the device with the client's key (or logs in), queues sends in
 * order and retries them until accepted, skips names not registered yet (anti-entropy catches
 * them up), and resumes the mailbox from its cursor after a disconnection.
 */
export declare class DsRelayTransport implements MmlsTransport {
  constructor(server: string, options: DsRelayTransportOptions);
  /** Resolves once the device is registered or logged in; rejects when its key cannot use its name. */
  readonly ready: Promise<void>;
  /** The mailbox position read so far. */
  readonly cursor: number;
  /** Queues one payload (resolves at once); it is retried until the DS accepts it. */
  send(bytes: Uint8Array): void;
  /** Payloads queued and not yet accepted by the DS. */
  readonly pending: number;
  onReceive(callback: (bytes: Uint8Array, from: string) => void): void;
  /** `callback(online)` when the mailbox socket goes live or drops (announce the summary on true). */
  onStatus(callback: (online: boolean) => void): void;
  /** Publishes KeyPackages (MLSMessages) in the DS's directory for the others to claim. */
  uploadKeyPackages(messages: Uint8Array[]): Promise<unknown>;
  /** Claims one KeyPackage of participant "user/device": the MLSMessage, or null when it has none yet. */
  claimKeyPackage(participant: string): Promise<Uint8Array | null>;
  close(): void;
}
