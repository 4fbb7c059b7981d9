// mlskit/call: end-to-end encrypted WebRTC media with SFrame keys from an MLS group.

/** The exporter label of RFC 9605 §5.2: base_key = MLS-Exporter("SFrame 1.0 Base Key", "", Nk). */
export declare const EXPORTER_LABEL: 'SFrame 1.0 Base Key';

export type CallErrorCode =
  | 'INVALID_ARGUMENT' | 'INVALID_STATE' | 'UNSUPPORTED' | 'WORKER_FAILED' | 'INTERNAL'
  | 'MALFORMED' | 'UNKNOWN_KEY' | 'EXPIRED_EPOCH' | 'AUTHENTICATION_FAILED' | 'REPLAY' | 'COUNTER_EXHAUSTED';

export declare class CallError extends Error {
  readonly name: 'CallError';
  readonly code: CallErrorCode;
}

/** Which encoded-transform API this browser has. */
export declare function transformSupport(): 'script-transform' | 'encoded-streams' | null;

/** RTCPeerConnection options for a call (adds encodedInsertableStreams where only createEncodedStreams exists). */
export declare function peerConnectionConfig<T extends object>(config?: T): T & { encodedInsertableStreams?: boolean };

/** One epoch's keys from any MLS source: baseKey is MLS-Exporter("SFrame 1.0 Base Key", "", Nk). */
export interface EpochKeys {
  epoch: bigint | number;
  baseKey: Uint8Array;
  myLeaf: number;
  /** The members' leaf indices (this member's may be included). */
  memberLeaves: number[];
}

/** What setEpoch reads of an mlskit Group. */
export interface GroupLike {
  readonly epoch: number;
  readonly myLeafIndex: number;
  readonly status?: string;
  members(): Array<{ leafIndex: number }>;
  exportSecret(label: string, context: string | Uint8Array, length: number): Uint8Array;
}

/** The SFrame keys of the group's current epoch (INVALID_STATE for a group this member was removed from). */
export declare function epochKeys(group: GroupLike, cipherSuite?: 4 | 5): EpochKeys & { epoch: bigint };

/** What clientEpochKeys reads of an mlskit/client MlsClient. */
export interface ClientLike {
  exportSecret(group: string, label: string, context: string | Uint8Array, length: number):
    Promise<{ epoch: number; secret: Uint8Array; myLeaf: number; memberLeaves: number[] } | null>;
}

/** The SFrame keys of the group's current epoch on an mlskit/client (INVALID_STATE when not in it). */
export declare function clientEpochKeys(client: ClientLike, group: string, cipherSuite?: 4 | 5): Promise<EpochKeys & { epoch: bigint }>;

export interface CallOptions {
  /** 4 = AES_128_GCM_SHA256_128 (default) or 5 = AES_256_GCM_SHA512_128. */
  cipherSuite?: 4 | 5;
  /** E: low epoch bits in the KID (1..16, default 4). */
  epochBits?: number;
  /** How long the previous epoch still decrypts after setEpoch (default 2000 ms; 0: not at all). */
  gracePeriodMs?: number;
  /** Frames tolerated out of order per sender stream (32..2^20, default 1024). */
  replayWindow?: number;
  /** A worker running 'mlskit/call/worker' (default: the call starts its own module worker). */
  worker?: Worker;
  /** Which encoded-transform API to use (default: RTCRtpScriptTransform where it exists, else createEncodedStreams). */
  transformApi?: 'script-transform' | 'encoded-streams';
  /**
   * 'auto' (default): audio frames through the package's own AES-GCM where its wasm-gc build loads
   * in the worker (the epoch's raw base key is then held in the worker until the epoch is erased),
   * video through WebCrypto. 'webcrypto': every frame through WebCrypto.
   */
  frameCipher?: 'auto' | 'webcrypto';
}

/** Counters of one transform (one RTP sender or receiver); 64-bit values are decimal strings. */
export interface TransformStats {
  role: 'encrypt' | 'decrypt';
  /** The SFrame stream context of an encrypting transform. */
  contextId: string | null;
  /** The track's kind: audio streams use the small-frame cipher. */
  kind: 'audio' | 'video' | null;
  /** Frames passed on (encrypted, or decrypted and authenticated). */
  frames: number;
  bytes: number;
  /** Frames dropped; by code in `errors` (REPLAY, AUTHENTICATION_FAILED, UNKNOWN_KEY, EXPIRED_EPOCH, MALFORMED, INVALID_STATE...). */
  dropped: number;
  errors: Partial<Record<CallErrorCode, number>>;
  /** Epoch, KID and (decrypting) sender leaf of the last frame passed on. */
  epoch: string | null;
  kid: string | null;
  senderLeaf: number | null;
  /** Decrypted frames per epoch. */
  epochs: Record<string, number>;
}

export interface CallStats {
  /** The epoch frames are sent with, or null before setEpoch. */
  epoch: string | null;
  /** Epochs whose keys are held (current and within the grace period). */
  heldEpochs: string[];
  /** What seals and opens audio frames: the package's wasm-gc AES-GCM, or WebCrypto (where it did not load, or frameCipher 'webcrypto'). */
  smallFrames: 'wasm-gc' | 'webcrypto';
  transforms: Record<string, TransformStats>;
}

export declare class Call {
  constructor(options?: CallOptions);
  readonly transformApi: 'script-transform' | 'encoded-streams' | null;
  /** Options for this call's RTCPeerConnections (encodedInsertableStreams on the encoded-streams path). */
  peerConnectionConfig<T extends object>(config?: T): T & { encodedInsertableStreams?: boolean };
  /** After joining and after every merged commit: the group's current epoch becomes the sending epoch. */
  setEpoch(source: GroupLike | EpochKeys): Promise<void>;
  /** Encrypts what `sender` sends under a stream context of its own; returns its stats id. */
  encryptSender(sender: RTCRtpSender, options?: { id?: string; kind?: 'audio' | 'video' }): string;
  /** Decrypts what `receiver` receives; undecryptable frames are dropped and counted; returns its stats id. */
  decryptReceiver(receiver: RTCRtpReceiver, options?: { id?: string; kind?: 'audio' | 'video' }): string;
  stats(): Promise<CallStats>;
  /** Erases every key (frames are dropped from now on) and ends the call's own worker. */
  leave(): Promise<void>;
}

/** A frame the call dropped (or a KeyRing refusal): `code` says why. */
export declare class FrameError extends Error {
  readonly name: 'SFrameError';
  readonly code: CallErrorCode;
}

export interface KeyRingOptions {
  cipherSuite?: 4 | 5;
  epochBits?: number;
  /** Default 10,000 ms here (the Call sets its own default of 2,000 ms). */
  gracePeriodMs?: number;
  replayWindow?: number;
  /** The clock the grace period is measured with (ms). */
  now?: () => number;
  /**
   * mlskit/sframe (after init()): the KIDs of streams marked `small` are sealed and opened by its
   * SFrameContext, synchronously; the epochs' raw base keys are then kept (wiped on erasure).
   */
  smallFrameCipher?: { SFrameContext: unknown } | null;
}

export interface DecryptedFrame {
  plaintext: Uint8Array;
  senderLeaf: number;
  epoch: bigint;
  contextId: bigint;
  kid: bigint;
  ctr: bigint;
}

/**
 * The worker's key manager (RFC 9605 §5.2 on WebCrypto; the same KID layout and epoch rules as
 * mlskit/sframe's SFrameKeys, which it interoperates with). Refusals are FrameErrors.
 */
export declare class KeyRing {
  constructor(options?: KeyRingOptions);
  readonly epoch: bigint | null;
  heldEpochs(): bigint[];
  /** Wipes `baseKey`. An epoch not newer than the current one is INVALID_STATE. */
  installEpoch(epoch: bigint | number, baseKey: Uint8Array, myLeaf: number, memberLeaves: number[]): Promise<void>;
  eraseExpired(): void;
  eraseAll(): void;
  kidFor(contextId: number | bigint): bigint;
  /** Which cipher seals stream `contextId` in the current epoch (chosen at its first frame of the epoch), or null. */
  senderCipher(contextId: number | bigint): 'package' | 'webcrypto' | null;
  /** Counters run to 2^53 - 1 per stream (then COUNTER_EXHAUSTED). */
  encrypt(contextId: number | bigint, metadata: Uint8Array, payload: Uint8Array, small?: boolean): Promise<{ frame: Uint8Array; kid: bigint; ctr: bigint; epoch: bigint }>;
  /** As encrypt; the frame returned is `metadata` followed by the SFrame frame (an encoded transform's clear bytes kept in front). */
  encryptWithClear(contextId: number | bigint, metadata: Uint8Array, payload: Uint8Array, small?: boolean): Promise<{ frame: Uint8Array; kid: bigint; ctr: bigint; epoch: bigint }>;
  /** A frame whose counter is above 2^53 - 1 is MALFORMED (no sender of this package makes one). */
  decrypt(metadata: Uint8Array, frame: Uint8Array, small?: boolean): Promise<DecryptedFrame>;
  /** `data` is `clear` bytes of metadata, then the SFrame frame; the plaintext returned keeps those bytes in front. */
  decryptWithClear(clear: number, data: Uint8Array, small?: boolean): Promise<DecryptedFrame>;
}

/** Counters of a worker's transforms. */
export declare class CallStats {
  open(id: string, role: 'encrypt' | 'decrypt', contextId?: bigint, kind?: string): TransformCounters;
  snapshot(): Record<string, TransformStats>;
}

/** Live counters of one transform (BigInt epoch and KID; see TransformStats for the reported form). */
export interface TransformCounters {
  readonly role: 'encrypt' | 'decrypt';
  readonly contextId: bigint | null;
  readonly frames: number;
  readonly dropped: number;
  readonly errors: Partial<Record<CallErrorCode, number>>;
}

/** An encoded frame as WebRTC hands it over (RTCEncodedVideoFrame / RTCEncodedAudioFrame). */
export interface EncodedFrameLike {
  data: ArrayBuffer;
  /** 'video/VP8' keeps VP8's payload header (3 bytes, 10 on key frames) in the clear, authenticated. */
  getMetadata?(): { mimeType?: string };
}

/** Encrypts one frame in place; false (dropped, counted) on any failure. Never throws. */
export declare function encryptFrame(ring: KeyRing, counters: TransformCounters, stats: CallStats, frame: EncodedFrameLike): Promise<boolean>;
/** Decrypts one frame in place; false (dropped, counted by code) when it does not decrypt. Never throws. */
export declare function decryptFrame(ring: KeyRing, counters: TransformCounters, stats: CallStats, frame: EncodedFrameLike): Promise<boolean>;
