// mlskit/sframe: SFrame (RFC 9605) frame encryption with media keys from an MLS group
// (RFC 9605 §5.2), for end-to-end encrypted calls through an SFU. The same native layer as the
// main module: call and await init() from 'mlskit' first. 64-bit values (epochs, KIDs, counters,
// context ids) are BigInts.
import { Group, MlsError, _nativeLayer } from './index.js';
import { toMlsError } from './errors.js';

/** The SFrame cipher suites: RFC 9605's five and the AES-256 CTR suites of the working group's extra vectors. */
export const SFrameSuite = Object.freeze({
  AES_128_CTR_HMAC_SHA256_80: 1,
  AES_128_CTR_HMAC_SHA256_64: 2,
  AES_128_CTR_HMAC_SHA256_32: 3,
  AES_128_GCM_SHA256_128: 4,
  AES_256_GCM_SHA512_128: 5,
  AES_256_CTR_HMAC_SHA512_80: 6,
  AES_256_CTR_HMAC_SHA512_64: 7,
  AES_256_CTR_HMAC_SHA512_32: 8,
});

/** An SFrame rejection; `code` is one of sfu-keying's stable codes (AUTHENTICATION_FAILED, REPLAY, UNKNOWN_KEY, ...). */
export class SFrameError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'SFrameError';
    this.code = code;
  }
}

function call(fn) {
  const n = _nativeLayer();
  try {
    const r = fn(n);
    return r instanceof Int8Array ? new Uint8Array(r.buffer, r.byteOffset, r.length) : r;
  } catch (e) {
    if (e !== null && typeof e === 'object' && e.name === 'SFrameError') {
      throw new SFrameError(e.code, e.message, { cause: e });
    }
    throw toMlsError(e);
  }
}

function invalid(message) {
  return new SFrameError('INVALID_ARGUMENT', message);
}

function bytes(v, name) {
  if (v === undefined || v === null) return new Int8Array(0);
  if (v instanceof Uint8Array) return new Int8Array(v.buffer, v.byteOffset, v.byteLength);
  throw invalid(`${name} must be a Uint8Array`);
}

function int(v, name, min, max) {
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(`${name} must be an integer in [${min}, ${max}]`);
  return v;
}

function u64(v, name) {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'bigint' && v >= 0n && v < (1n << 64n)) return v.toString();
  throw invalid(`${name} must be a BigInt (or safe integer) in [0, 2^64)`);
}

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((h) => { try { _nativeLayer().sframeRelease(h); } catch { /* not loaded */ } })
  : null;

class Handle {
  #handle;

  constructor(handle) {
    this.#handle = handle;
    registry?.register(this, handle, this);
  }

  get handle() {
    if (this.#handle === 0) throw new SFrameError('INVALID_STATE', `this ${this.constructor.name} was freed`);
    return this.#handle;
  }

  /** Erases its keys and releases it now; idempotent. */
  free() {
    if (this.#handle !== 0) {
      registry?.unregister(this);
      call((n) => n.sframeRelease(this.#handle));
      this.#handle = 0;
    }
  }
}

/**
 * SFrame keys of an MLS group (RFC 9605 §5.2). Call onEpoch(group) after creating or joining the
 * group and after every merged commit; frames of the previous epoch still decrypt for the grace
 * period, older epochs are erased (at most 2^epochBits are kept).
 */
export class SFrameKeys extends Handle {
  constructor(options = {}) {
    const suite = int(options.cipherSuite ?? SFrameSuite.AES_128_GCM_SHA256_128, 'cipherSuite', 1, 8);
    const epochBits = int(options.epochBits ?? 4, 'epochBits', 1, 16);
    const grace = options.gracePeriodMs ?? 10_000;
    if (typeof grace !== 'number' || !(grace >= 0)) throw invalid('gracePeriodMs must be a number >= 0');
    const window = int(options.replayWindow ?? 1024, 'replayWindow', 1, 1 << 20);
    super(call((n) => n.sframeKeysCreate(suite, epochBits, grace, window)));
  }

  /** Moves to the group's current epoch: base key from its exporter, its members' leaves. */
  onEpoch(group) {
    if (!(group instanceof Group)) throw invalid('group must be an mlskit Group');
    call((n) => n.sframeKeysOnEpoch(this.handle, group.handle));
  }

  /** The current epoch, or null before onEpoch. */
  get epoch() {
    const e = call((n) => n.sframeKeysCurrentEpoch(this.handle));
    return e === '-1' ? null : BigInt(e);
  }

  /** An outgoing stream (one per track or simulcast layer): its own SFrame context, so no key and nonce pair repeats. */
  openStream() {
    return new SFrameStream(call((n) => n.sframeKeysOpenStream(this.handle)));
  }

  /** Decrypts another member's frame: {plaintext, senderLeaf, epoch, contextId, kid, counter}. */
  decrypt(frame, metadata) {
    const f = bytes(frame, 'frame');
    const m = bytes(metadata, 'metadata');
    const plaintext = call((n) => n.sframeKeysDecrypt(this.handle, m, f));
    const info = JSON.parse(call((n) => n.sframeKeysLastFrame(this.handle)));
    return {
      plaintext,
      senderLeaf: info.senderLeaf,
      epoch: BigInt(info.epoch),
      contextId: BigInt(info.contextId),
      kid: BigInt(info.kid),
      counter: BigInt(info.ctr),
    };
  }
}

/** One outgoing media stream of an SFrameKeys. */
export class SFrameStream extends Handle {
  get contextId() {
    return BigInt(call((n) => n.sframeStreamContextId(this.handle)));
  }

  /** Encrypts a frame; `metadata` (optional) is authenticated, not sent. */
  encrypt(payload, metadata) {
    const p = bytes(payload, 'payload');
    const m = bytes(metadata, 'metadata');
    return call((n) => n.sframeStreamEncrypt(this.handle, m, p));
  }
}

/** The frame cipher with keys you manage (RFC 9605 §4.4): base keys by KID. */
export class SFrameContext extends Handle {
  constructor(options = {}) {
    const suite = int(options.cipherSuite ?? SFrameSuite.AES_128_GCM_SHA256_128, 'cipherSuite', 1, 8);
    const window = int(options.replayWindow ?? 1024, 'replayWindow', 1, 1 << 20);
    super(call((n) => n.sframeContextCreate(suite, window)));
  }

  addSendKey(kid, baseKey) {
    const k = u64(kid, 'kid');
    const b = bytes(baseKey, 'baseKey');
    call((n) => n.sframeContextAddSendKey(this.handle, k, b));
  }

  addReceiveKey(kid, baseKey) {
    const k = u64(kid, 'kid');
    const b = bytes(baseKey, 'baseKey');
    call((n) => n.sframeContextAddReceiveKey(this.handle, k, b));
  }

  encrypt(kid, payload, metadata) {
    const k = u64(kid, 'kid');
    const p = bytes(payload, 'payload');
    const m = bytes(metadata, 'metadata');
    return call((n) => n.sframeContextEncrypt(this.handle, k, m, p));
  }

  decrypt(frame, metadata) {
    const f = bytes(frame, 'frame');
    const m = bytes(metadata, 'metadata');
    return call((n) => n.sframeContextDecrypt(this.handle, m, f));
  }
}

export { MlsError };
