// A counting-committee member's device: its part of the key ceremony (Pedersen's distributed key
// generation) and its partial decryption of the totals, exactly as daihoi.crypto.threshold checks them.
// The member's key share never leaves this device except as the printed QR backup. See docs/crypto.md.
import { sha256 } from "./vendor/noble/noble.js";
import {
  L,
  Point,
  baseMul,
  frame,
  hashToScalar,
  hexBytes,
  mod,
  mul,
  randomScalar,
  scalarBytes,
  scalarFromHex,
  scalarHex,
  toHex,
  u32be,
} from "./ballot_crypto.js";

const utf8 = new TextEncoder();

const dealerContext = (electionId, dealer) => [utf8.encode(electionId), utf8.encode("dealer"), u32be(dealer)];
const shareContext = (electionId, member) => [utf8.encode(electionId), utf8.encode("share"), u32be(member)];
const decryptionContext = (electionId, member, label) => [
  utf8.encode(electionId),
  utf8.encode("decrypt"),
  u32be(member),
  utf8.encode(label),
];

function proveKnowledge(x, context, rng) {
  const w = rng();
  const c = hashToScalar("daihoi/v1/pok", ...context, baseMul(x).toBytes(), baseMul(w).toBytes());
  return [[scalarHex(c), scalarHex(mod(w + c * x))]];
}

function verifyKnowledge(publicPoint, proof, context) {
  if (!Array.isArray(proof) || proof.length !== 1) return false;
  const c = scalarFromHex(proof[0][0]);
  const s = scalarFromHex(proof[0][1]);
  const commitment = baseMul(s).subtract(mul(publicPoint, c));
  return hashToScalar("daihoi/v1/pok", ...context, publicPoint.toBytes(), commitment.toBytes()) === c;
}

function proveEqualLogs(x, base2, context, rng) {
  const w = rng();
  const c = hashToScalar(
    "daihoi/v1/dleq",
    ...context,
    baseMul(x).toBytes(),
    base2.toBytes(),
    mul(base2, x).toBytes(),
    baseMul(w).toBytes(),
    mul(base2, w).toBytes(),
  );
  return [[scalarHex(c), scalarHex(mod(w + c * x))]];
}

const mask = (shared, ephemeral, dealer, recipient) =>
  hashToScalar("daihoi/v1/share-mask", shared.toBytes(), ephemeral.toBytes(), u32be(dealer), u32be(recipient));

function commitmentAt(commitments, i) {
  let total = Point.ZERO;
  let power = 1n;
  for (const c of commitments) {
    total = total.add(mul(c, power));
    power = mod(power * BigInt(i));
  }
  return total;
}

/** Step 1: the key this device receives its shares with, kept only until the ceremony ends. */
export function newTransportKey(rng = randomScalar) {
  const secret = rng();
  return { secret: scalarHex(secret), public: baseMul(secret).toHex() };
}

/**
 * Step 2: deal a random polynomial of degree threshold-1: public commitments, a proof for the constant
 * term, and one share sealed to each member's transport key ({index: public hex}). Draws, in order: the
 * coefficients, the proof, then one ephemeral key per member by index (as daihoi.crypto.threshold.deal).
 */
export function deal({ electionId, dealer, threshold, transportKeys, rng = randomScalar }) {
  const members = Object.keys(transportKeys).map(Number).sort((a, b) => a - b);
  if (!(threshold >= 1 && threshold <= members.length)) throw new Error(`threshold must be 1 to ${members.length}`);
  const coefficients = Array.from({ length: threshold }, () => rng());
  const proof = proveKnowledge(coefficients[0], dealerContext(electionId, dealer), rng);
  const sealed = members.map((i) => {
    let value = 0n;
    let power = 1n;
    for (const a of coefficients) {
      value = mod(value + a * power);
      power = mod(power * BigInt(i));
    }
    const k = rng();
    const ephemeral = baseMul(k);
    const shared = mul(Point.fromHex(transportKeys[i]), k);
    return { recipient: i, ephemeral: ephemeral.toHex(), masked: scalarHex(mod(value + mask(shared, ephemeral, dealer, i))) };
  });
  return { dealer, commitments: coefficients.map((a) => baseMul(a).toHex()), proof, sealed };
}

/**
 * Step 3: open the shares sent to `member`, check each against its dealer's commitments and proof, and
 * form this member's key share. Returns the share (secret: keep it, print its backup), the public share,
 * the proof of knowing it, the election's public key, and the dealers whose share failed (complaints):
 * with any complaint the share and key are unusable and the ceremony is run again without that dealer.
 */
export function openShares({ electionId, member, transportSecret, threshold, dealings, rng = randomScalar }) {
  const y = scalarFromHex(transportSecret);
  const complaints = [];
  let share = 0n;
  let publicKey = Point.ZERO;
  for (const d of dealings) {
    const commitments = d.commitments.map((c) => Point.fromHex(c));
    const sealed = d.sealed.find((s) => s.recipient === member);
    let ok = commitments.length === threshold && sealed && verifyKnowledge(commitments[0], d.proof, dealerContext(electionId, d.dealer));
    if (ok) {
      const ephemeral = Point.fromHex(sealed.ephemeral);
      const value = mod(scalarFromHex(sealed.masked) - mask(mul(ephemeral, y), ephemeral, d.dealer, member));
      ok = baseMul(value).equals(commitmentAt(commitments, member));
      if (ok) {
        share = mod(share + value);
        publicKey = publicKey.add(commitments[0]);
      }
    }
    if (!ok) complaints.push(d.dealer);
  }
  return {
    member,
    share: scalarHex(share),
    publicShare: baseMul(share).toHex(),
    shareProof: proveKnowledge(share, shareContext(electionId, member), rng),
    publicKey: publicKey.toHex(),
    complaints,
  };
}

/** This member's factor x_i·A for each total {label, a, b}, each with its proof of correct decryption. */
export function partialDecrypt({ electionId, member, share, totals, rng = randomScalar }) {
  const x = scalarFromHex(share);
  return {
    member,
    factors: totals.map((t) => {
      const a = Point.fromHex(t.a);
      return {
        label: t.label,
        factor: mul(a, x).toHex(),
        proof: proveEqualLogs(x, a, decryptionContext(electionId, member, t.label), rng),
      };
    }),
  };
}

function backupCheck(electionId, member, share) {
  const data = frame([utf8.encode("daihoi/v1/share-backup"), utf8.encode(electionId), u32be(member), scalarBytes(share)]);
  return toHex(sha256(data)).slice(0, 8);
}

/** The text of the printed QR backup of this member's key share (daihoi.crypto.threshold.share_backup). */
export function shareBackup({ electionId, member, share }) {
  const x = scalarFromHex(share);
  return `daihoi-share-v1:${member}:${scalarHex(x)}:${backupCheck(electionId, member, x)}`;
}

/** {member, share} from a backup, checked against this election and the member's public share (hex). */
export function restoreShare(text, { electionId, publicShares }) {
  const parts = text.trim().split(":");
  if (parts.length !== 4 || parts[0] !== "daihoi-share-v1" || !/^\d+$/.test(parts[1])) {
    throw new Error("this is not a daihoi key-share backup");
  }
  const member = Number(parts[1]);
  const x = scalarFromHex(parts[2]);
  if (parts[3] !== backupCheck(electionId, member, x)) {
    throw new Error("the backup is damaged or belongs to another election");
  }
  const expected = publicShares[member];
  if (!expected || !baseMul(x).equals(Point.fromHex(expected))) {
    throw new Error(`the backup does not match member ${member}'s public share`);
  }
  return { member, share: scalarHex(x) };
}

/** A short fingerprint of the public key, for members and voters to compare by eye. */
export function keyFingerprint(publicKey) {
  return Array.from(hexBytes(publicKey).slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .replace(/(.{4})(?=.)/g, "$1 ")
    .toUpperCase();
}

export { L };
