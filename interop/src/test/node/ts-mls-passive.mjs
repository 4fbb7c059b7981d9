// ts-mls (an independent RFC 9420 implementation) as a passive member of a mlskit Multi-MLS send
// group: joins from the Welcome with the given KeyPackage and private keys, then processes every
// proposal, commit and application message of the transcript in order, checking each epoch
// authenticator and plaintext. Usage: node ts-mls-passive.mjs transcript.json
// Prints one JSON summary line; exits 0 only if everything matched.
import { readFileSync } from "node:fs";
import {
  decodeMlsMessage,
  getCiphersuiteImpl,
  ciphersuites,
  getCiphersuiteFromName,
  joinGroup,
  processPrivateMessage,
  processPublicMessage,
} from "ts-mls";

const hex = (s) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b) => Buffer.from(b).toString("hex");

const summary = {
  ok: false,
  implementation: "ts-mls",
  suite: 0,
  epochs: 0,
  proposals: 0,
  applicationMessages: 0,
  externalPsks: 0,
  publicHandshakes: 0,
  committed: { update: 0, psk: 0, add: 0, remove: 0, other: 0 },
};

function fail(where, message) {
  summary.error = `${where}: ${message}`;
  console.log(JSON.stringify(summary));
  process.exit(1);
}

// The whole input must be one MLSMessage of an expected wire format.
function message(bytesHex, wireformats, where) {
  const bytes = hex(bytesHex);
  const decoded = decodeMlsMessage(bytes, 0);
  if (decoded === undefined || decoded[1] !== bytes.length) fail(where, "not one MLSMessage");
  const wf = decoded[0].wireformat;
  if (!wireformats.includes(wf)) fail(where, `wire format ${wf}, expected ${wireformats.join(" or ")}`);
  if (wf === "mls_public_message") summary.publicHandshakes++;
  return decoded[0];
}

// Proposals and commits are PrivateMessages or PublicMessages (GroupConfig's handshake wire format).
const HANDSHAKE = ["mls_private_message", "mls_public_message"];

// A PSK index holding only the exporter PSKs this commit is expected to import; records which were asked for.
function pskIndex(list) {
  const byId = new Map(list.map((p) => [p.psk_id, hex(p.psk)]));
  const used = new Set();
  return {
    used,
    findPsk(id) {
      if (id.psktype !== "external") return undefined;
      const key = toHex(id.pskId);
      if (byId.has(key)) used.add(key);
      return byId.get(key);
    },
  };
}

// The owner (leaf 0) is the only committer in its send group (docs/multi-mls.md); notes the
// types of the proposals the commit applies, counted once ts-mls has accepted the commit.
function ownerOnly(where, types) {
  return (incoming) => {
    if (incoming.kind === "commit") {
      if (incoming.senderLeafIndex !== 0) fail(where, `commit from leaf ${incoming.senderLeafIndex}`);
      for (const p of incoming.proposals) types.push(p.proposal.proposalType);
    }
    return "accept";
  };
}

async function handle(state, mls, psks, cs, callback, where) {
  try {
    if (mls.wireformat === "mls_private_message") {
      return await processPrivateMessage(state, mls.privateMessage, psks, cs, callback);
    }
    if (mls.wireformat === "mls_public_message") {
      const r = await processPublicMessage(state, mls.publicMessage, psks, cs, callback);
      return { kind: "newState", ...r };
    }
  } catch (e) {
    fail(where, `refused: ${e?.message ?? e}`);
  }
  fail(where, `unexpected wire format ${mls.wireformat}`);
}

async function applications(state, list, cs, where) {
  for (const [i, m] of (list ?? []).entries()) {
    const at = `${where} application message ${i}`;
    const r = await handle(state, message(m.message, ["mls_private_message"], at), pskIndex([]), cs, undefined, at);
    if (r.kind !== "applicationMessage") fail(at, "not an application message");
    if (toHex(r.message) !== m.plaintext) fail(at, `plaintext ${toHex(r.message)}, expected ${m.plaintext}`);
    summary.applicationMessages++;
    state = r.newState;
  }
  return state;
}

function checkAuthenticator(state, expected, where) {
  const got = toHex(state.keySchedule.epochAuthenticator);
  if (got !== expected) fail(where, `epoch authenticator ${got}, expected ${expected}`);
}

async function main() {
  const file = process.argv[2];
  if (!file) fail("usage", "node ts-mls-passive.mjs transcript.json");
  const t = JSON.parse(readFileSync(file, "utf8"));
  summary.suite = t.cipher_suite;
  const name = Object.keys(ciphersuites).find((n) => ciphersuites[n] === t.cipher_suite);
  if (!name) fail("cipher_suite", `unknown suite ${t.cipher_suite}`);
  const cs = await getCiphersuiteImpl(getCiphersuiteFromName(name));

  const kp = message(t.key_package, ["mls_key_package"], "key_package").keyPackage;
  const welcome = message(t.welcome, ["mls_welcome"], "welcome").welcome;
  const privateKeys = {
    initPrivateKey: hex(t.init_priv),
    hpkePrivateKey: hex(t.encryption_priv),
    signaturePrivateKey: hex(t.signature_priv),
  };
  // mlskit puts the tree in the Welcome (ratchet_tree extension); a separate one is not expected.
  if (t.ratchet_tree) fail("ratchet_tree", "a tree outside the Welcome is not supported by this script");
  let state;
  try {
    state = await joinGroup(welcome, kp, privateKeys, pskIndex([]), cs);
  } catch (e) {
    fail("welcome", `refused: ${e?.message ?? e}`);
  }
  checkAuthenticator(state, t.initial_epoch_authenticator, "welcome");
  state = await applications(state, t.initial_application_messages, cs, "initial epoch");

  for (const [e, epoch] of t.epochs.entries()) {
    const where = `epoch ${e}`;
    for (const [i, p] of epoch.proposals.entries()) {
      const at = `${where} proposal ${i}`;
      const r = await handle(state, message(p, HANDSHAKE, at), pskIndex([]), cs, undefined, at);
      if (r.kind !== "newState") fail(at, "not a proposal");
      summary.proposals++;
      state = r.newState;
    }
    const psks = pskIndex(epoch.external_psks ?? []);
    const at = `${where} commit`;
    const types = [];
    const r = await handle(state, message(epoch.commit, HANDSHAKE, at), psks, cs, ownerOnly(at, types), at);
    if (r.kind !== "newState" || r.actionTaken !== "accept") fail(at, "not an accepted commit");
    for (const t of types) summary.committed[t in summary.committed ? t : "other"]++;
    if (psks.used.size !== (epoch.external_psks ?? []).length) {
      fail(at, `imported ${psks.used.size} of the ${(epoch.external_psks ?? []).length} expected exporter PSKs`);
    }
    summary.externalPsks += psks.used.size;
    state = r.newState;
    checkAuthenticator(state, epoch.epoch_authenticator, at);
    summary.epochs++;
    state = await applications(state, epoch.application_messages, cs, where);
  }
  summary.ok = true;
  console.log(JSON.stringify(summary));
}

main().catch((e) => fail("script", e?.stack ?? String(e)));
