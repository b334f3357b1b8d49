// Encrypting a ballot on the phone, exactly as daihoi.crypto (Python) verifies it: exponential ElGamal
// on Ristretto255, disjunctive Chaum–Pedersen proofs with Fiat–Shamir (SHA-512), and the ballot tracker.
// See docs/crypto.md. Uses the vendored, audited @noble/curves and @noble/hashes; no network at run time.
import { ristretto255, sha256, sha512 } from "./vendor/noble/noble.js";

const Point = ristretto255.Point;
/** The order of the group. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const G = Point.BASE;
const BITS = [0, 1];
const utf8 = new TextEncoder();

function mod(a) {
  const r = a % L;
  return r >= 0n ? r : r + L;
}

function u32be(n) {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function u64be(n) {
  const out = new Uint8Array(8);
  let v = BigInt(n);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 255n);
    v >>= 8n;
  }
  return out;
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Each part preceded by its length (4 bytes, big-endian), as daihoi.crypto.group.frame. */
export function frame(parts) {
  return concat(parts.flatMap((p) => [u32be(p.length), p]));
}

function fromLE(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

function scalarBytes(k) {
  const out = new Uint8Array(32);
  let v = mod(k);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 255n);
    v >>= 8n;
  }
  return out;
}

function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-512 of the framed domain tag and parts, little-endian, mod L. */
export function hashToScalar(domain, ...parts) {
  return mod(fromLE(sha512(frame([utf8.encode(domain), ...parts]))));
}

/** A uniform scalar in [1, L) from the browser's generator. */
export function randomScalar() {
  for (;;) {
    const k = mod(fromLE(crypto.getRandomValues(new Uint8Array(64))));
    if (k !== 0n) return k;
  }
}

/** Deterministic scalars, for the shared test vectors only (daihoi.crypto.group.seeded_rng). */
export function seededRng(seed) {
  let counter = 0;
  return () => {
    counter += 1;
    return hashToScalar("daihoi/v1/test-rng", seed, u64be(counter)) || 1n;
  };
}

function mul(point, k) {
  const s = mod(k);
  return s === 0n ? Point.ZERO : point.multiply(s);
}

const baseMul = (k) => mul(G, k);

function encrypt(publicKey, m, r) {
  return { a: baseMul(r), b: baseMul(BigInt(m)).add(mul(publicKey, r)) };
}

function valuesBytes(values) {
  return concat(values.map((v) => u32be(v)));
}

function ballotContext(electionId, credential, publicKey, label) {
  return [utf8.encode(electionId), utf8.encode(credential), publicKey.toBytes(), utf8.encode(label)];
}

/** Disjunctive proof that `ct` (randomness r) holds one of `values`; draws as the Python side does. */
function proveOneOf(publicKey, ct, values, m, r, context, rng) {
  const real = values.indexOf(m);
  if (real < 0) throw new Error(`${m} is not one of ${values}`);
  const branches = [];
  const commitments = [];
  let w = 0n;
  values.forEach((v, j) => {
    if (j === real) {
      w = rng();
      commitments.push(baseMul(w).toBytes(), mul(publicKey, w).toBytes());
      branches.push([0n, 0n]);
    } else {
      const c = rng();
      const s = rng();
      commitments.push(
        baseMul(s).subtract(mul(ct.a, c)).toBytes(),
        mul(publicKey, s).subtract(mul(ct.b.subtract(baseMul(BigInt(v))), c)).toBytes(),
      );
      branches.push([c, s]);
    }
  });
  const c = hashToScalar(
    "daihoi/v1/or",
    ...context,
    publicKey.toBytes(),
    ct.a.toBytes(),
    ct.b.toBytes(),
    valuesBytes(values),
    ...commitments,
  );
  const cReal = mod(c - branches.reduce((acc, [cj]) => acc + cj, 0n));
  branches[real] = [cReal, mod(w + cReal * r)];
  return branches;
}

function sumValues(spec) {
  const values = [];
  for (let v = spec.min_marks; v <= spec.max_marks; v++) values.push(v);
  if (spec.allow_invalid) values.push(spec.choices + 1);
  return values;
}

export const scalarHex = (k) => toHex(scalarBytes(k));
export function scalarFromHex(hex) {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new Error("a scalar must be 64 hex digits");
  const k = fromLE(hexBytes(hex));
  if (k >= L) throw new Error("a scalar must be reduced modulo the group order");
  return k;
}

const proofJson = (branches) => branches.map(([c, s]) => [toHex(scalarBytes(c)), toHex(scalarBytes(s))]);
const ctJson = (ct, proof) => ({ a: ct.a.toHex(), b: ct.b.toHex(), proof: proofJson(proof) });

/**
 * Encrypt a ballot's marks (1 kept / 0 struck) with every proof, as daihoi.crypto.ballot.encrypt_ballot.
 * `invalid` (every name struck where that is invalid, or a deliberate spoil) needs every mark 0.
 * Returns the ballot's JSON, ready to send; the server stores it as it is.
 */
export function encryptBallot({ spec, publicKey, electionId, credential, marks, invalid = false, rng = randomScalar }) {
  const pk = Point.fromHex(publicKey);
  if (marks.length !== spec.choices || marks.some((m) => m !== 0 && m !== 1)) {
    throw new Error(`a ballot needs ${spec.choices} marks of 0 or 1`);
  }
  const kept = marks.reduce((a, b) => a + b, 0);
  if (invalid && (kept || !spec.allow_invalid)) throw new Error("only a ballot with every mark 0 can be invalid");
  if (!invalid && (kept < spec.min_marks || kept > spec.max_marks)) {
    throw new Error(`the kept count ${kept} is outside [${spec.min_marks}, ${spec.max_marks}]`);
  }
  const out = { marks: [], invalid: null, sum_proof: null };
  let total = { a: Point.ZERO, b: Point.ZERO };
  let rTotal = 0n;
  marks.forEach((m, i) => {
    const r = rng();
    const ct = encrypt(pk, m, r);
    const proof = proveOneOf(pk, ct, BITS, m, r, ballotContext(electionId, credential, pk, `mark:${i}`), rng);
    out.marks.push(ctJson(ct, proof));
    total = { a: total.a.add(ct.a), b: total.b.add(ct.b) };
    rTotal += r;
  });
  if (spec.allow_invalid) {
    const v = invalid ? 1 : 0;
    const r = rng();
    const ct = encrypt(pk, v, r);
    const proof = proveOneOf(pk, ct, BITS, v, r, ballotContext(electionId, credential, pk, "invalid"), rng);
    out.invalid = ctJson(ct, proof);
    const k = BigInt(spec.choices + 1);
    total = { a: total.a.add(mul(ct.a, k)), b: total.b.add(mul(ct.b, k)) };
    rTotal += k * r;
  }
  const s = kept + (invalid ? spec.choices + 1 : 0);
  const context = ballotContext(electionId, credential, pk, "sum");
  out.sum_proof = proofJson(proveOneOf(pk, total, sumValues(spec), s, mod(rTotal), context, rng));
  return out;
}

/** Shared with committee_crypto.js: scalar arithmetic, points, hex. */
export { Point, mod, mul, baseMul, scalarBytes, toHex, u32be };

export function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function encodeCt(item) {
  return concat([hexBytes(item.a), hexBytes(item.b), ...item.proof.flat().map(hexBytes)]);
}

/** The ballot tracker the phone shows: SHA-256 over the framed election, credential and ballot bytes. */
export function ballotTracker(electionId, credential, ballot) {
  const parts = ballot.marks.map(encodeCt);
  if (ballot.invalid) parts.push(encodeCt(ballot.invalid));
  parts.push(concat(ballot.sum_proof.flat().map(hexBytes)));
  const data = frame([utf8.encode("daihoi/v1/tracker"), utf8.encode(electionId), utf8.encode(credential), frame(parts)]);
  return toHex(sha256(data));
}
