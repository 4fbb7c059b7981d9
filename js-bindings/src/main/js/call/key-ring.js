// The call's media keys in the worker: RFC 9605 §5.2 over WebCrypto, with the same KID layout,
// epoch rules, grace period and erasure as sfu-keying's MlsSFrameKeys (mlskit/sframe), so members
// using either interoperate. KID = context << (S+E) | leaf << E | epoch mod 2^E.
import { FrameError, suiteOf, importBaseKey, deriveKeySalt } from './sframe-core.js';
import { SendStream, ReceiveStream, parseHeader } from './stream-cipher.js';
import { PackageSendStream, PackageReceiveStream } from './package-cipher.js';

const MAX64 = (1n << 64n) - 1n;
const NONE = new Uint8Array(0);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// ArrayBuffer.prototype.transfer: Chromium 114+, Node 22+ (Node 20 takes the copy)
const TRANSFER = typeof ArrayBuffer.prototype.transfer === 'function';

class Epoch {
  constructor(epoch, baseKey, rawKey, myLeaf, members) {
    this.epoch = epoch;
    this.baseKey = baseKey; // HKDF CryptoKey, non-extractable
    this.rawKey = rawKey; // the base key's bytes for the package's cipher (small frames), or null
    this.myLeaf = myLeaf;
    this.members = new Set(members);
    let s = 0;
    const leaves = Math.max(...members) + 1;
    while ((1 << s) < leaves) s++;
    this.indexBits = s;
    this.expiresAt = Infinity;
    this.senders = new Map(); // context id (Number or BigInt) -> SendStream
    this.receivers = new Map(); // kid (as parseHeader gives it) -> ReceiveStream
    this.erased = false;
  }

  erase() {
    // CryptoKeys cannot be overwritten: dropping every reference lets the browser free them
    this.erased = true;
    this.baseKey = null;
    this.rawKey?.fill(0);
    this.rawKey = null;
    for (const s of this.senders.values()) s.erase();
    for (const r of this.receivers.values()) r.erase();
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
  constructor({ cipherSuite = 4, epochBits = 4, gracePeriodMs = 10_000, replayWindow = 1024, now = () => Date.now(), smallFrameCipher = null } = {}) {
    this.suite = suiteOf(cipherSuite);
    if (smallFrameCipher !== null && typeof smallFrameCipher?.SFrameContext !== 'function') {
      throw new FrameError('INVALID_ARGUMENT', 'smallFrameCipher must be mlskit/sframe (its SFrameContext) or null');
    }
    // mlskit/sframe, once init() loaded the package: seals and opens the KIDs of small streams
    this.cipher = smallFrameCipher;
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
    // importBaseKey checks and wipes the caller's bytes; the package's cipher needs them raw
    const raw = this.cipher !== null && baseKey instanceof Uint8Array ? baseKey.slice() : null;
    let key;
    try {
      key = await importBaseKey(baseKey, this.suite.nk);
    } catch (e) {
      raw?.fill(0);
      throw e;
    }
    if (this.current && epoch <= this.current.epoch) {
      raw?.fill(0);
      throw new FrameError('INVALID_STATE', `epoch ${epoch} arrived twice`);
    }
    const t = this.now();
    if (this.current) this.current.expiresAt = t + this.gracePeriodMs;
    const next = new Epoch(epoch, key, raw, myLeaf, [...memberLeaves, myLeaf]);
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

  // A KID's path (package or WebCrypto) is chosen when its stream is first used in the epoch and
  // kept: its counters live in one place, whichever path seals it.
  #sender(contextId, small) {
    const e = this.current;
    if (!e) throw new FrameError('INVALID_STATE', 'no epoch installed');
    // Numbers and BigInts are different Map keys: one context always gets the same key
    const key = typeof contextId === 'bigint' && contextId >= 0n && contextId <= MAX_SAFE ? Number(contextId) : contextId;
    let s = e.senders.get(key);
    if (!s) {
      const kid = this.kid(e, contextId, e.myLeaf);
      s = small === true && e.rawKey !== null
        ? new PackageSendStream(kid, this.cipher, this.suite.id, e.rawKey)
        : new SendStream(kid, deriveKeySalt(e.baseKey, kid, this.suite));
      e.senders.set(key, s);
    }
    return s;
  }

  /** Which cipher seals stream `contextId` in the current epoch: 'package', 'webcrypto', or null (not used yet). */
  senderCipher(contextId) {
    const key = typeof contextId === 'bigint' && contextId >= 0n && contextId <= MAX_SAFE ? Number(contextId) : contextId;
    const s = this.current?.senders.get(key);
    return s === undefined ? null : s.sync === true ? 'package' : 'webcrypto';
  }

  // encrypt and decrypt return #seal's and #open's promises as they are: an async function
  // returning a promise would add two microtask turns per frame (measured: ~2 µs in Chromium)

  /**
   * Encrypts one frame of stream `contextId` under the current epoch; {frame, kid, ctr, epoch}.
   * `small` (audio): the package's own AES-GCM seals this stream's KID where the ring has it.
   */
  encrypt(contextId, metadata, payload, small = false) {
    return this.#sealAny(contextId, metadata, payload, false, small);
  }

  /**
   * As encrypt, for an encoded transform: the frame it returns starts with `metadata` (the
   * codec's clear bytes), then the SFrame frame; one copy.
   */
  encryptWithClear(contextId, metadata, payload, small = false) {
    return this.#sealAny(contextId, metadata, payload, true, small);
  }

  #sealAny(contextId, metadata, payload, keepClear, small) {
    let s;
    try {
      s = this.#sender(contextId, small);
      if (s.sync === true) {
        // synchronous: no await between taking the counter and sealing
        const r = s.seal(metadata ?? NONE, payload, keepClear);
        return Promise.resolve({ frame: r.frame, kid: s.kid, ctr: BigInt(r.ctr), epoch: this.current.epoch });
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#seal(s, metadata, payload, keepClear);
  }

  async #seal(s, metadata, payload, keepClear) {
    const e = this.current;
    const ctr = s.take(); // before the first await: frames in flight never share a counter
    if (s.key === null) {
      await s.ready; // the first frames of a stream, while its keys are derived
      if (s.key === null) throw new FrameError('EXPIRED_EPOCH', `KID ${s.kid}: its epoch was erased while the frame waited for its keys`);
    }
    const m = metadata ?? NONE;
    const aad = s.aad(ctr, m);
    const hl = aad.length - m.length;
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: s.nonce(ctr), additionalData: aad, tagLength: 128 }, s.key, payload);
    const at = keepClear ? m.length : 0;
    const n = ct.byteLength;
    let frame;
    if (TRANSFER) {
      // grows WebCrypto's buffer and moves the ciphertext up within it: no second buffer
      // (measured in Chromium: a fresh 6 KB buffer per frame costs more than the move)
      frame = new Uint8Array(ct.transfer(at + hl + n));
      frame.copyWithin(at + hl, 0, n);
    } else {
      frame = new Uint8Array(at + hl + n);
      frame.set(new Uint8Array(ct), at + hl);
    }
    if (at > 0) frame.set(m);
    // the header again, not from the AAD buffer: frames sent meanwhile have reused it
    s.writeHeader(frame, at, ctr);
    return { frame, kid: s.kid, ctr: BigInt(ctr), epoch: e.epoch };
  }

  /**
   * Decrypts another member's frame: {plaintext, senderLeaf, epoch, contextId, kid, ctr}.
   * MALFORMED, UNKNOWN_KEY (no held epoch, own KID, not a member), EXPIRED_EPOCH, REPLAY,
   * AUTHENTICATION_FAILED.
   */
  decrypt(metadata, frame, small = false) {
    return this.#openAny(metadata ?? NONE, frame, 0, false, small);
  }

  /**
   * As decrypt, for an encoded transform: `data` is `clear` bytes of metadata followed by the
   * SFrame frame, and the plaintext it returns keeps them in front; one copy.
   */
  decryptWithClear(clear, data, small = false) {
    return this.#openAny(data.subarray(0, clear), data.subarray(clear), clear, true, small);
  }

  #openAny(metadata, frame, clear, keepClear, small) {
    let h;
    let e;
    let r;
    try {
      h = parseHeader(frame);
      const low = typeof h.kid === 'number' ? h.kid % this.slots.length : Number(h.kid & BigInt(this.slots.length - 1));
      e = this.slots[low];
      if (!e) throw new FrameError('UNKNOWN_KEY', `KID ${h.kid}: no epoch held with its low bits`);
      if (e.erased || this.now() >= e.expiresAt) {
        if (!e.erased) e.erase();
        throw new FrameError('EXPIRED_EPOCH', `KID ${h.kid}: its epoch's keys are erased`);
      }
      r = e.receivers.get(h.kid);
      if (r === undefined && small === true && e.rawKey !== null) r = this.#newPackageReceiver(e, BigInt(h.kid));
      if (r !== undefined && r.sync === true) return Promise.resolve(this.#openPackage(e, r, h, metadata, frame, clear, keepClear));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#open(e, r, h, metadata, frame, clear, keepClear);
  }

  // the package's path: synchronous, so no other frame of this KID runs in between
  #openPackage(e, r, h, metadata, frame, clear, keepClear) {
    if (typeof h.ctr !== 'number') throw new FrameError('MALFORMED', `CTR ${h.ctr} is above 2^53 - 1, which no sender of this package reaches`);
    r.window.check(h.ctr);
    let pt;
    try {
      pt = r.open(metadata, frame);
    } catch (err) {
      if (e.receivers.get(h.kid) !== r) r.erase(); // a receiver no frame authenticated under is not kept
      throw err;
    }
    r.window.accept(h.ctr);
    e.receivers.set(h.kid, r);
    let plaintext = pt;
    if (keepClear && clear > 0) {
      plaintext = new Uint8Array(clear + pt.length);
      plaintext.set(metadata);
      plaintext.set(pt, clear);
    } else if (pt.byteOffset !== 0 || pt.byteLength !== pt.buffer.byteLength) {
      plaintext = pt.slice(); // the frame transform hands .buffer on
    }
    return { plaintext, senderLeaf: r.leaf, epoch: e.epoch, contextId: r.contextId, kid: r.kid, ctr: BigInt(h.ctr) };
  }

  async #open(e, r, h, metadata, frame, clear, keepClear) {
    if (r === undefined) r = await this.#newReceiver(e, BigInt(h.kid));
    if (typeof h.ctr !== 'number') throw new FrameError('MALFORMED', `CTR ${h.ctr} is above 2^53 - 1, which no sender of this package reaches`);
    r.window.check(h.ctr);
    if (frame.length < h.length + this.suite.nt) throw new FrameError('MALFORMED', 'frame shorter than its header and tag');
    const header = frame.subarray(0, h.length);
    const aad = metadata.length > 0 ? r.aad(header, metadata) : header;
    let pt;
    try {
      pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: r.nonce(h.ctr), additionalData: aad, tagLength: 128 }, r.key, frame.subarray(h.length));
    } catch {
      if (e.erased) throw new FrameError('EXPIRED_EPOCH', `KID ${h.kid}: its epoch was erased while the frame was decrypted`);
      throw new FrameError('AUTHENTICATION_FAILED', 'the frame does not authenticate under its KID\'s key');
    }
    if (e.erased) throw new FrameError('EXPIRED_EPOCH', `KID ${h.kid}: its epoch was erased while the frame was decrypted`);
    // checked again on the window kept: another frame of this KID may have completed meanwhile
    const kept = e.receivers.get(h.kid) ?? r;
    kept.window.check(h.ctr);
    kept.window.accept(h.ctr);
    e.receivers.set(h.kid, kept); // a receiver is kept only once a frame authenticated under it
    let plaintext;
    if (keepClear && clear > 0 && TRANSFER) {
      // as in #seal: growing WebCrypto's buffer costs less than a fresh one (VP8's clear bytes in front)
      const n = pt.byteLength;
      plaintext = new Uint8Array(pt.transfer(clear + n));
      plaintext.copyWithin(clear, 0, n);
      plaintext.set(metadata);
    } else if (keepClear && clear > 0) {
      plaintext = new Uint8Array(clear + pt.byteLength);
      plaintext.set(metadata);
      plaintext.set(new Uint8Array(pt), clear);
    } else {
      plaintext = new Uint8Array(pt);
    }
    return { plaintext, senderLeaf: kept.leaf, epoch: e.epoch, contextId: kept.contextId, kid: kept.kid, ctr: BigInt(h.ctr) };
  }

  // The first frame of a KID: who sent it (checked once: an epoch's members do not change).
  #sourceOf(e, kid) {
    const epochBits = BigInt(this.epochBits);
    const leaf = Number((kid >> epochBits) & ((1n << BigInt(e.indexBits)) - 1n));
    const contextId = kid >> BigInt(e.indexBits + this.epochBits);
    if (leaf === e.myLeaf) throw new FrameError('UNKNOWN_KEY', `KID ${kid} is this member's own`);
    if (!e.members.has(leaf)) throw new FrameError('UNKNOWN_KEY', `KID ${kid}: leaf ${leaf} is not a member in epoch ${e.epoch}`);
    return { leaf, contextId };
  }

  #newPackageReceiver(e, kid) {
    const { leaf, contextId } = this.#sourceOf(e, kid);
    return new PackageReceiveStream(kid, leaf, contextId, this.cipher, this.suite.id, e.rawKey, this.replayWindow);
  }

  async #newReceiver(e, kid) {
    const { leaf, contextId } = this.#sourceOf(e, kid);
    const ks = await deriveKeySalt(e.baseKey, kid, this.suite);
    if (e.erased) {
      ks.salt.fill(0);
      throw new FrameError('EXPIRED_EPOCH', `KID ${kid}: its epoch was erased while its keys were derived`);
    }
    return new ReceiveStream(kid, leaf, contextId, ks, this.replayWindow);
  }
}
