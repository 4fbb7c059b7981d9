// Types of the mlskit package (hand-written; checked by tsc --noEmit against examples/).

/** The native build: wasm-gc (fast; needs WasmGC and exnref) or js (portable fallback). */
export type Build = 'wasm-gc' | 'js';

export interface InitOptions {
  /** 'auto' (default): wasm-gc where the runtime supports it, else js. */
  build?: Build | 'auto';
}

/** Loads the native layer once; resolves to the build in use. Call before anything else. */
export function init(options?: InitOptions): Promise<Build>;
/** The build in use, or null before init(). */
export function currentBuild(): Build | null;
/** Whether this runtime has WasmGC and exnref (what the wasm-gc build needs). */
export function wasmGcSupported(): boolean;
/** The seven RFC 9420 cipher suites (ids 1..7). */
export function cipherSuites(): CipherSuiteInfo[];
/** How many native objects are alive (not freed or collected yet). */
export function liveObjects(): number;

export interface CipherSuiteInfo {
  id: number;
  name: string;
}

export type ErrorCodeName =
  | 'MALFORMED' | 'UNSUPPORTED' | 'INVALID_SIGNATURE' | 'DECRYPTION_FAILED' | 'INVALID_KEY' | 'INVALID_ARGUMENT'
  | 'DUPLICATE_MESSAGE' | 'GENERATION_OUT_OF_RANGE' | 'INVALID_PARENT_HASH' | 'INVALID_TREE' | 'INVALID_MEMBERSHIP_TAG'
  | 'WRONG_EPOCH' | 'WRONG_GROUP' | 'UNKNOWN_MEMBER' | 'WRONG_CONTENT_TYPE' | 'INVALID_LEAF_NODE' | 'EXPIRED'
  | 'NO_SECURE_RANDOM' | 'INVALID_PROPOSAL' | 'INVALID_COMMIT' | 'UNKNOWN_PROPOSAL' | 'INVALID_CONFIRMATION_TAG'
  | 'MISSING_PSK' | 'NOT_FOR_US' | 'INVALID_STATE' | 'INVALID_CREDENTIAL' | 'INTERNAL';

/** The stable error codes, e.g. `ErrorCode.WRONG_EPOCH === 'WRONG_EPOCH'`. */
export const ErrorCode: { readonly [K in ErrorCodeName]: K };

/** Every mlskit failure; a rejected input leaves the object it was given to unchanged. */
export class MlsError extends Error {
  constructor(code: ErrorCodeName, message: string, options?: { cause?: unknown });
  readonly name: 'MlsError';
  readonly code: ErrorCodeName;
}

export type Credential =
  | { type: 'basic'; identity: Uint8Array }
  | { type: 'x509'; certificates: Uint8Array[] }
  | { type: 'unknown'; identity: Uint8Array };

export interface Member {
  leafIndex: number;
  credential: Credential;
  /** The basic credential's identity (empty for other credential types). */
  identity: Uint8Array;
  signatureKey: Uint8Array;
  encryptionKey: Uint8Array;
}

export interface Extension {
  type: number;
  data: Uint8Array;
}

export type PskId =
  | { type: 'external'; id: Uint8Array }
  | { type: 'resumption'; usage: 'application' | 'reinit' | 'branch'; groupId: Uint8Array; epoch: number };

export interface ReInitInfo {
  groupId: Uint8Array;
  cipherSuite: number;
  extensions: Extension[];
}

/** Code points a client's leaves advertise (RFC 9420 §7.2). */
export interface Capabilities {
  versions: number[];
  cipherSuites: number[];
  /** Non-default extension types, e.g. 6 (app_data_dictionary). */
  extensions: number[];
  /** Non-default proposal types, e.g. 8 (app_data_update) and 10 (self_remove). */
  proposals: number[];
  /** 1 basic, 2 x509. */
  credentials: number[];
}

/** One entry of an app_data_dictionary: data of one application component (ids 0x8000-0xFFFF are for private use). */
export interface AppDataEntry {
  componentId: number;
  data: Uint8Array;
}

export interface GroupContextInfo {
  version: number;
  cipherSuite: number;
  groupId: Uint8Array;
  epoch: number;
  treeHash: Uint8Array;
  confirmedTranscriptHash: Uint8Array;
  extensions: Extension[];
  /** The GroupContext's TLS encoding. */
  encoded: Uint8Array;
}

/** What anyone can read of an MLSMessage before processing it (see inspectMessage). */
export interface MessageInfo {
  wireFormat: 'public' | 'private' | 'welcome' | 'groupInfo' | 'keyPackage';
  /** For PublicMessages and PrivateMessages, else null. */
  contentType: 'application' | 'proposal' | 'commit' | null;
  /** For group messages and GroupInfos, else null. */
  groupId: Uint8Array | null;
  epoch: number | null;
  /** In the clear in PublicMessages only. */
  sender: Sender | null;
  /** For Welcomes, GroupInfos and KeyPackages, else null. */
  cipherSuite: number | null;
  /** A Welcome's entries: compare with KeyPackage.ref (or use Group.keyPackageFor). */
  keyPackageRefs: Uint8Array[];
}

/** Reads an MLSMessage's public header without processing it (a delivery service client routes by it). */
export function inspectMessage(message: Uint8Array): MessageInfo;

export interface KeyPackageInfo {
  /** The KeyPackage as an MLSMessage: what you publish and what add() takes. */
  message: Uint8Array;
  cipherSuite: number;
  /** Its KeyPackageRef, as Welcomes name it. */
  ref: Uint8Array;
  capabilities: Capabilities;
  credential: Credential;
  signatureKey: Uint8Array;
  lastResort: boolean;
  /** Seconds since 1970. */
  notBefore: number;
  notAfter: number;
}

/** Free the native object now instead of waiting for the garbage collector. */
interface Freeable {
  free(): void;
}

export type ClientOptions = {
  /** Cipher suite id, 1..7 (default 1, MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519). */
  cipherSuite?: number;
} & (
  | {
    /** The basic credential's identity (a string is UTF-8 encoded). */
    identity: string | Uint8Array;
    /** The suite's raw signature private key; default: a fresh key pair. */
    signaturePrivateKey?: Uint8Array;
  }
  | {
    /** An X.509 credential: the DER certificate chain, leaf first. */
    certificates: Uint8Array[];
    /** The raw private key whose public key the leaf certificate certifies. */
    signaturePrivateKey: Uint8Array;
  });

export interface KeyPackageOptions {
  lastResort?: boolean;
  /** Lifetime in seconds since 1970 (both or neither; default: from an hour ago for 84 days). */
  notBefore?: number;
  notAfter?: number;
}

/** One client's identity in one cipher suite: a basic credential and a signature key pair. */
export class Client implements Freeable {
  private constructor();
  static create(options: ClientOptions): Client;
  static load(state: Uint8Array): Client;
  readonly cipherSuite: number;
  readonly credential: Credential;
  readonly identity: Uint8Array;
  readonly signaturePublicKey: Uint8Array;
  readonly capabilities: Capabilities;
  createKeyPackage(options?: KeyPackageOptions): KeyPackage;
  /**
   * Signs an mlskit delivery service's challenge for device `user/device` (its registration and
   * token proof) and gives the encoded credential a registration sends, for transports that talk
   * to the DS without mlskit/client (mlskit/mmls's DsRelayTransport).
   */
  dsProof(challenge: Uint8Array, user: string, device: string): { signature: Uint8Array; credential: Uint8Array };
  /** The private state (signature private key included). */
  save(): Uint8Array;
  free(): void;
}

/** A KeyPackage with its private keys. Publish `message`; keep the object to join with. */
export class KeyPackage implements Freeable {
  private constructor();
  static load(state: Uint8Array): KeyPackage;
  /** Decodes and validates a published KeyPackage message (signatures, keys, lifetime). */
  static inspect(message: Uint8Array): KeyPackageInfo;
  readonly message: Uint8Array;
  readonly cipherSuite: number;
  readonly credential: Credential;
  readonly lastResort: boolean;
  /** The KeyPackageRef (what a Welcome names). */
  readonly ref: Uint8Array;
  info(): KeyPackageInfo;
  save(): Uint8Array;
  free(): void;
}

/** Local policy of a group (not part of its saved state: pass it again to Group.load). */
export interface GroupOptions {
  /** Past epochs whose application messages still decrypt (default 2). */
  retainedEpochs?: number;
  /** PrivateMessage plaintexts are padded to a multiple of this (default 32). */
  paddingBlock?: number;
  /** Proposals and commits as PrivateMessage (default) or PublicMessage. */
  handshake?: 'private' | 'public';
  /** Whether Welcomes carry the ratchet tree (default true). */
  ratchetTreeInWelcome?: boolean;
  /** Whether every commit carries an UpdatePath (default false). */
  alwaysUpdatePath?: boolean;
  /** External PSKs this group may use. */
  externalPsks?: { id: Uint8Array; secret: Uint8Array }[];
  /**
   * Called for every credential the group admits (adds, joins, updates, the members seen when
   * joining). Return nothing (or true) to accept; return false or a reason string, or throw, to
   * refuse (INVALID_CREDENTIAL). Without it only basic credentials are accepted.
   */
  credentialValidator?: (credential: Credential, signatureKey: Uint8Array) => boolean | string | void;
}

/** Choices for one commit; what is not given comes from the group's options. */
export interface CommitOptions {
  /** This commit as a PublicMessage or PrivateMessage. */
  handshake?: 'private' | 'public';
  /** Whether this commit's Welcome carries the ratchet tree. */
  ratchetTreeInWelcome?: boolean;
  /** An UpdatePath even when the proposals do not require one. */
  forcePath?: boolean;
  aad?: Uint8Array;
  /** AppDataUpdate proposals by value: new data per component, or `data` null/absent to remove it. */
  appData?: { componentId: number; data?: string | Uint8Array | null }[];
}

export interface CreateOptions extends GroupOptions {
  /** Default: 16 random bytes. */
  groupId?: string | Uint8Array;
  /** GroupContext extensions. */
  extensions?: Extension[];
  /** The initial app_data_dictionary (group metadata), e.g. [{componentId: 0x8001, data: 'Team chat'}]. */
  appData?: { componentId: number; data: string | Uint8Array }[];
}

export interface JoinOptions extends GroupOptions {
  /** The ratchet tree, when the Welcome does not carry it. */
  ratchetTree?: Uint8Array;
  /** The old group, when joining the successor of a ReInit or branch (its resumption PSK). */
  resumptionFrom?: Group;
}

export interface ExternalJoinOptions extends GroupOptions {
  ratchetTree?: Uint8Array;
  /** This client's old leaf, removed in the same commit (a member that lost its state). */
  resyncLeaf?: number;
  /** External PSK ids to include (their secrets in externalPsks). */
  psks?: Uint8Array[];
  /** Pending SelfRemove proposal messages (of the GroupInfo's epoch) to commit by reference. */
  selfRemoves?: Uint8Array[];
  aad?: Uint8Array;
}

export interface AadOption {
  /** Authenticated data sent in the clear with the message. */
  aad?: Uint8Array;
}

/** A commit built (own) or received, not yet applied: pass it to group.merge() or group.discard(). */
export class StagedCommit implements Freeable {
  private constructor();
  /** The MLSMessage to send to the group (own commits), else null. */
  readonly message: Uint8Array | null;
  /** The Welcome for the added members, or null. */
  readonly welcome: Uint8Array | null;
  readonly own: boolean;
  /** An external commit (a new member joining by itself). */
  readonly external: boolean;
  readonly newEpoch: number;
  readonly committerLeaf: number;
  /** Merging it ends this member's membership. */
  readonly removesMe: boolean;
  /** Members added, at their new leaves. */
  readonly added: Member[];
  /** Members removed, as they were. */
  readonly removed: Member[];
  /** Members whose leaves changed through Update proposals. */
  readonly updated: Member[];
  readonly psks: PskId[];
  readonly reInit: ReInitInfo | null;
  readonly changesExtensions: boolean;
  /** Whether the commit carries an UpdatePath. */
  readonly hasUpdatePath: boolean;
  free(): void;
}

export type Sender =
  | { type: 'member'; index: number }
  | { type: 'external'; index: number }
  | { type: 'newMemberProposal' | 'newMemberCommit'; index: -1 };

export type Proposal =
  | { type: 'add'; keyPackage: KeyPackageInfo }
  | { type: 'update'; credential: Credential }
  | { type: 'remove'; leafIndex: number }
  | { type: 'psk'; psk: PskId }
  | { type: 'reinit'; reInit: ReInitInfo }
  | { type: 'groupContextExtensions'; extensions: Extension[] }
  | { type: 'externalInit' }
  | { type: 'selfRemove' }
  /** `data` null: the component's entry is removed. */
  | { type: 'appDataUpdate'; componentId: number; data: Uint8Array | null };

interface ProcessedBase {
  /** The epoch the message was sent in. */
  epoch: number;
  sender: Sender;
  senderCredential: Credential | null;
  authenticatedData: Uint8Array;
}

export interface ApplicationMessage extends ProcessedBase {
  kind: 'application';
  data: Uint8Array;
  /** The sender's leaf index. */
  senderLeaf: number;
}

export interface ProposalMessage extends ProcessedBase {
  kind: 'proposal';
  proposal: Proposal;
  /** The reference under which the proposal is cached for this epoch's commit. */
  proposalRef: Uint8Array;
}

export interface CommitMessage extends ProcessedBase {
  kind: 'commit';
  /** Inspect, then group.merge(commit) (or discard it). */
  commit: StagedCommit;
}

export type ProcessedMessage = ApplicationMessage | ProposalMessage | CommitMessage;

export interface Successor {
  group: Group;
  /** The Welcome for the other members. */
  welcome: Uint8Array;
}

/** One member's view of a group in its current epoch. */
export class Group implements Freeable {
  private constructor();
  static create(client: Client, options?: CreateOptions): Group;
  static join(client: Client, welcome: Uint8Array, keyPackage: KeyPackage, options?: JoinOptions): Group;
  /** Joins by external commit; send `commit` to the group (and drop `group` if the delivery service refuses it). */
  static joinExternal(client: Client, groupInfo: Uint8Array, options?: ExternalJoinOptions): { group: Group; commit: Uint8Array };
  static load(state: Uint8Array, options?: GroupOptions): Group;
  /** Which of these KeyPackages a Welcome is for, or null (no need to try each and skip NOT_FOR_US). */
  static keyPackageFor(welcome: Uint8Array, keyPackages: KeyPackage | KeyPackage[]): KeyPackage | null;

  readonly groupId: Uint8Array;
  readonly epoch: number;
  readonly cipherSuite: number;
  readonly myLeafIndex: number;
  readonly memberCount: number;
  readonly status: 'active' | 'removed' | 'reinit-pending';
  members(): Member[];
  member(leafIndex: number): Member | null;
  extensions(): Extension[];
  /** The tree hash of the current epoch. */
  readonly treeHash: Uint8Array;
  groupContext(): GroupContextInfo;
  /** The app_data_dictionary (group metadata), sorted by componentId. */
  appData(): AppDataEntry[];
  /** MLS-Exporter(label, context, length) of the current epoch (RFC 9420 §8.5). */
  exportSecret(label: string, context: string | Uint8Array, length: number): Uint8Array;
  /** Equal for all members that agree on the epoch (§8.7). */
  epochAuthenticator(): Uint8Array;
  ratchetTree(): Uint8Array;
  /** A signed GroupInfo message (default: with the ratchet tree and external_pub, for external joins). */
  groupInfo(options?: { ratchetTree?: boolean; externalPub?: boolean }): Uint8Array;
  pendingReInit(): ReInitInfo | null;
  setExternalPsk(id: Uint8Array, secret: Uint8Array): void;

  /** An application message (PrivateMessage) for the group; a string is UTF-8 encoded. */
  encrypt(data: string | Uint8Array, options?: AadOption): Uint8Array;
  /** Verifies and processes one message for this group. */
  process(message: Uint8Array): ProcessedMessage;

  proposeAdd(keyPackage: Uint8Array, options?: AadOption): Uint8Array;
  proposeRemove(leafIndex: number, options?: AadOption): Uint8Array;
  proposeUpdate(options?: AadOption): Uint8Array;
  proposeExternalPsk(pskId: Uint8Array, options?: AadOption): Uint8Array;
  proposeResumptionPsk(epoch: number, options?: AadOption): Uint8Array;
  proposeGroupContextExtensions(extensions: Extension[], options?: AadOption): Uint8Array;
  /** This member asks to leave; another member or an external joiner commits it (always a PublicMessage). */
  proposeSelfRemove(options?: AadOption): Uint8Array;
  proposeAppDataUpdate(componentId: number, data: string | Uint8Array, options?: AadOption): Uint8Array;
  proposeAppDataRemove(componentId: number, options?: AadOption): Uint8Array;
  proposeReInit(options: { groupId: string | Uint8Array; cipherSuite: number; extensions?: Extension[]; aad?: Uint8Array }): Uint8Array;

  /** Commits Adds of these KeyPackage messages, plus the cached proposals. */
  add(keyPackages: Uint8Array | Uint8Array[], options?: CommitOptions): StagedCommit;
  /** Commits Removes of these leaves, plus the cached proposals. */
  remove(leafIndexes: number | number[], options?: CommitOptions): StagedCommit;
  /** Commits fresh keys for this member (an UpdatePath), plus the cached proposals. */
  update(options?: CommitOptions): StagedCommit;
  /** Commits the cached proposals (and options.appData). */
  commit(options?: CommitOptions): StagedCommit;
  merge(staged: StagedCommit): void;
  discard(staged: StagedCommit): void;

  /** After a committed ReInit: the successor group in `client`'s cipher suite and its Welcome. */
  reInitialize(client: Client, keyPackages: Uint8Array | Uint8Array[]): Successor;
  /** A subgroup with these members, tied to this epoch by a branch PSK. */
  branch(keyPackages: Uint8Array | Uint8Array[], options?: { groupId?: string | Uint8Array; extensions?: Extension[] }): Successor;

  /** The whole state, private keys included (store it where secrets belong). */
  save(): Uint8Array;
  free(): void;
}
