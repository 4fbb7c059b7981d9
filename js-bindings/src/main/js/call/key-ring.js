// The call's media keys in the worker: RFC 9605 §5.2 over WebCrypto, with the same KID layout,
// epoch rules, grace period and erasure as sfu-keying's MlsSFrameKeys (mlskit/sframe), so members
// using either interoperate. KID = context << (S+E) | leaf << E | epoch mod 2^E.
import { FrameError, suiteOf, importBaseKey, deriveKeySalt, sealFrame, openFrame, decodeHeader } from './sframe-core.js';

const MAX64 = (1n << 64n) - 1n;

/** Anti-replay for one receiving KID (§9.3): the highest counter accepted and a bitmap below it. */
class ReplayWindow {
  constructor(size) {
    this.size = BigInt(size);
    this.bits = new Uint8Array(size);
    this.highest = -1n;
  }

  check(ctr) {
    if (ctr > this.highest) return;
    if (this.highest - ctr >= this.size) throw new FrameError('REPLAY', `CTR ${ctr} is older than the replay window`);
    if (this.bits[Number(ctr % this.size)]) throw new FrameError('REPLAY', `CTR ${ctr} was already accepted`);
  }

  // after check() passed and the frame authenticated, so a forgery cannot move the window
  accept(ctr) {
    if (ctr > this.highest) {
      if (this.highest < 0n || ctr - this.highest >= this.size) {
        this.bits.fill(0);
      } else {
        for (let k = this.highest + 1n; k < ctr; k++) this.bits[Number(k % this.size)] = 0;
      }
      this.highest = ctr;
    }
    this.bits[Number(ctr % this.size)] = 1;
  }
}

class Epoch {
  constructor(epoch, baseKey, myLeaf, members) {
    this.epoch = epoch;
    this.baseKey = baseKey; // HKDF CryptoKey, non-extractable
    this.myLeaf = myLeaf;
    this.members = new Set(members);
    let s = 0;
    const leaves = Math.max(...members) + 1;
    while ((1 << s) < leaves) s++;
    this.indexBits = s;
    this.expiresAt = Infinity;
    this.senders = new Map(); // kid -> {keySalt promise, ctr}
    this.receivers = new Map(); // kid -> {keySalt, window}
    this.erased = false;
  }

  erase() {
    // CryptoKeys cannot be overwritten: dropping every reference lets the browser free them
    this.erased = true;
    this.baseKey = null;
    for (const r of this.receivers.values()) r.keySalt.salt.fill(0);
    this.senders.clear();
    this.receivers.clear();
    this.members.clear();
  }
}

/**
 * The keys of one member in one call. `installEpoch` takes the exporter output of each epoch
 * ("SFrame 1.0 Base Key", Nk bytes); `encrypt(contextId, ...)` uses the current epoch with one
 * counter per stream context; `decrypt` accepts other members' frames of every held epoch.
 * Failures are FrameErrors; a failed frame changes nothing.
 */
export class KeyRing {
  constructor({ cipherSuite = 4, epochBits = 4, gracePeriodMs = 10_000, replayWindow = 1024, now = () => Date.now() } = {}) {
    this.suite = suiteOf(cipherSuite);
    if (!Number.isInteger(epochBits) || epochBits < 1 || epochBits > 16) throw new FrameError('INVALID_ARGUMENT', 'epochBits must be 1..16');
    if (typeof gracePeriodMs !== 'number' || !(gracePeriodMs >= 0)) throw new FrameError('INVALID_ARGUMENT', 'gracePeriodMs must be >= 0');
    if (!Number.isInteger(replayWindow) || replayWindow < 32 || replayWindow > (1 << 20)) throw new FrameError('INVALID_ARGUMENT', 'replayWindow must be 32..2^20');
    this.epochBits = epochBits;
    this.gracePeriodMs = gracePeriodMs;
    this.replayWindow = replayWindow;
    this.now = now;
    this.slots = new Array(1 << epochBits).fill(null);
    this.current = null;
  }

  /** The epoch frames are encrypted with (BigInt), or null. */
  get epoch() {
    return this.current ? this.current.epoch : null;
  }

  /** Epochs still held (current and within grace), ascending. */
  heldEpochs() {
    const t = this.now();
    return this.slots.filter((e) => e && !e.erased && t < e.expiresAt).map((e) => e.epoch).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * Makes `epoch` current. `baseKey` (Uint8Array, wiped here) is the epoch's exporter output;
   * `memberLeaves` are the members' leaf indices. An epoch not newer than the current one is
   * INVALID_STATE; the previous epoch decrypts for the grace period, then is erased.
   */
  async installEpoch(epoch, baseKey, myLeaf, memberLeaves) {
    if (typeof epoch === 'number' && Number.isSafeInteger(epoch)) epoch = BigInt(epoch);
    if (typeof epoch !== 'bigint' || epoch < 0n || epoch > MAX64) throw new FrameError('INVALID_ARGUMENT', 'epoch must be an unsigned 64-bit integer');
    if (!Number.isInteger(myLeaf) || myLeaf < 0) throw new FrameError('INVALID_ARGUMENT', 'myLeaf must be a leaf index');
    if (!Array.isArray(memberLeaves) || !memberLeaves.every((l) => Number.isInteger(l) && l >= 0)) {
      throw new FrameError('INVALID_ARGUMENT', 'memberLeaves must be leaf indices');
    }
    if (this.current && epoch <= this.current.epoch) {
      baseKey?.fill?.(0);
      throw new FrameError('INVALID_STATE', `epoch ${epoch} is not newer than the current epoch ${this.current.epoch}`);
    }
    const key = await importBaseKey(baseKey, this.suite.nk);
    if (this.current && epoch <= this.current.epoch) throw new FrameError('INVALID_STATE', `epoch ${epoch} arrived twice`);
    const t = this.now();
    if (this.current) this.current.expiresAt = t + this.gracePeriodMs;
    const next = new Epoch(epoch, key, myLeaf, [...memberLeaves, myLeaf]);
    const slot = Number(epoch & BigInt(this.slots.length - 1));
    this.slots[slot]?.erase(); // §5.2: an epoch with the same low bits replaces the old one
    this.slots[slot] = next;
    this.current = next;
    this.eraseExpired(t);
  }

  eraseExpired(t = this.now()) {
    for (const e of this.slots) if (e && !e.erased && t >= e.expiresAt) e.erase();
  }

  /** Erases every key (leaving the call); encrypt and decrypt fail until the next installEpoch. */
  eraseAll() {
    for (let i = 0; i < this.slots.length; i++) {
      this.slots[i]?.erase();
      this.slots[i] = null;
    }
    this.current = null;
  }

  kid(e, contextId, leaf) {
    const shift = BigInt(e.indexBits + this.epochBits);
    const c = BigInt(contextId);
    if (c < 0n || (c << shift) > MAX64) throw new FrameError('INVALID_ARGUMENT', `context id ${contextId} does not fit the KID`);
    return c << shift | BigInt(leaf) << BigInt(this.epochBits) | (e.epoch & BigInt(this.slots.length - 1));
  }

  /** The KID this member sends stream `contextId` with in the current epoch. */
  kidFor(contextId) {
    if (!this.current) throw new FrameError('INVALID_STATE', 'no epoch installed');
    return this.kid(this.current, contextId, this.current.myLeaf);
  }

  /** Encrypts one frame of stream `contextId` under the current epoch; {frame, kid, ctr, epoch}. */
  async encrypt(contextId, metadata, payload) {
    const e = this.current;
    if (!e) throw new FrameError('INVALID_STATE', 'no epoch installed');
    const kid = this.kid(e, contextId, e.myLeaf);
    let s = e.senders.get(kid);
    if (!s) {
      s = { keySalt: deriveKeySalt(e.baseKey, kid, this.suite), ctr: 0n };
      e.senders.set(kid, s);
    }
    // the counter is taken before the first await: frames in flight never share one
    const ctr = s.ctr;
    if (ctr > MAX64) throw new FrameError('COUNTER_EXHAUSTED', `KID ${kid} has sent 2^64 frames`);
    s.ctr = ctr + 1n;
    const frame = await sealFrame(await s.keySalt, kid, ctr, metadata, payload);
    return { frame, kid, ctr, epoch: e.epoch };
  }

  /**
   * Decrypts another member's frame: {plaintext, senderLeaf, epoch, contextId, kid, ctr}.
   * MALFORMED, UNKNOWN_KEY (no held epoch, own KID, not a member), EXPIRED_EPOCH, REPLAY,
   * AUTHENTICATION_FAILED.
   */
  async decrypt(metadata, frame) {
    const h = decodeHeader(frame);
    const mask = BigInt(this.slots.length - 1);
    const e = this.slots[Number(h.kid & mask)];
    if (!e) throw new FrameError('UNKNOWN_KEY', `KID ${h.kid}: no epoch held with its low bits`);
    if (e.erased || this.now() >= e.expiresAt) {
      if (!e.erased) e.erase();
      throw new FrameError('EXPIRED_EPOCH', `KID ${h.kid}: its epoch's keys are erased`);
    }
    const epochBits = BigInt(this.epochBits);
    const leaf = Number((h.kid >> epochBits) & ((1n << BigInt(e.indexBits)) - 1n));
    const contextId = h.kid >> BigInt(e.indexBits + this.epochBits);
    if (leaf === e.myLeaf) throw new FrameError('UNKNOWN_KEY', `KID ${h.kid} is this member's own`);
    if (!e.members.has(leaf)) throw new FrameError('UNKNOWN_KEY', `KID ${h.kid}: leaf ${leaf} is not a member in epoch ${e.epoch}`);
    let r = e.receivers.get(h.kid);
    if (!r) r = { keySalt: await deriveKeySalt(e.baseKey, h.kid, this.suite), window: new ReplayWindow(this.replayWindow) };
    r.window.check(h.ctr);
    const plaintext = await openFrame(r.keySalt, h, metadata, frame, this.suite);
    if (e.erased) throw new FrameError('EXPIRED_EPOCH', `KID ${h.kid}: its epoch was erased while the frame was decrypted`);
    // checked again on the window kept: another frame of this KID may have completed meanwhile
    const kept = e.receivers.get(h.kid) ?? r;
    kept.window.check(h.ctr);
    kept.window.accept(h.ctr);
    e.receivers.set(h.kid, kept); // a receiver is kept only once a frame authenticated under it
    return { plaintext, senderLeaf: leaf, epoch: e.epoch, contextId, kid: h.kid, ctr: h.ctr };
  }
}
