// Types of mlskit/sframe (hand-written; checked by tsc --noEmit against examples/).
import { Group } from './index.js';

/** SFrame cipher suite ids: RFC 9605's five, and the AES-256 CTR suites of the extra vectors. */
export const SFrameSuite: {
  readonly AES_128_CTR_HMAC_SHA256_80: 1;
  readonly AES_128_CTR_HMAC_SHA256_64: 2;
  readonly AES_128_CTR_HMAC_SHA256_32: 3;
  readonly AES_128_GCM_SHA256_128: 4;
  readonly AES_256_GCM_SHA512_128: 5;
  readonly AES_256_CTR_HMAC_SHA512_80: 6;
  readonly AES_256_CTR_HMAC_SHA512_64: 7;
  readonly AES_256_CTR_HMAC_SHA512_32: 8;
};

export type SFrameErrorCode =
  | 'MALFORMED' | 'UNSUPPORTED' | 'INVALID_ARGUMENT' | 'UNKNOWN_KEY' | 'EXPIRED_EPOCH'
  | 'AUTHENTICATION_FAILED' | 'REPLAY' | 'COUNTER_EXHAUSTED' | 'INVALID_STATE';

/** An SFrame rejection (MLS failures stay MlsError). */
export class SFrameError extends Error {
  constructor(code: SFrameErrorCode, message: string, options?: { cause?: unknown });
  readonly name: 'SFrameError';
  readonly code: SFrameErrorCode;
}

export interface SFrameKeysOptions {
  /** Default AES_128_GCM_SHA256_128 (4). */
  cipherSuite?: number;
  /** E of RFC 9605 §5.2: low epoch bits in the KID; 2^E epochs are kept at most. Default 4. */
  epochBits?: number;
  /** How long frames of the previous epoch still decrypt after onEpoch. Default 10,000 ms. */
  gracePeriodMs?: number;
  /** Counters behind the highest one seen that are still accepted once. Default 1024. */
  replayWindow?: number;
}

export interface ReceivedFrame {
  plaintext: Uint8Array;
  senderLeaf: number;
  epoch: bigint;
  contextId: bigint;
  kid: bigint;
  counter: bigint;
}

/** SFrame keys derived from an MLS group's exporter (RFC 9605 §5.2). */
export class SFrameKeys {
  constructor(options?: SFrameKeysOptions);
  /** After creating or joining the group and after every merged commit. */
  onEpoch(group: Group): void;
  /** The current epoch, or null before onEpoch. */
  readonly epoch: bigint | null;
  openStream(): SFrameStream;
  decrypt(frame: Uint8Array, metadata?: Uint8Array): ReceivedFrame;
  free(): void;
}

/** An outgoing stream (one per track or simulcast layer). */
export class SFrameStream {
  readonly contextId: bigint;
  encrypt(payload: Uint8Array, metadata?: Uint8Array): Uint8Array;
  free(): void;
}

export interface SFrameContextOptions {
  cipherSuite?: number;
  replayWindow?: number;
}

/** The frame cipher with application-managed base keys (RFC 9605 §4.4). */
export class SFrameContext {
  constructor(options?: SFrameContextOptions);
  addSendKey(kid: bigint | number, baseKey: Uint8Array): void;
  addReceiveKey(kid: bigint | number, baseKey: Uint8Array): void;
  encrypt(kid: bigint | number, payload: Uint8Array, metadata?: Uint8Array): Uint8Array;
  decrypt(frame: Uint8Array, metadata?: Uint8Array): Uint8Array;
  free(): void;
}

export { MlsError } from './index.js';
