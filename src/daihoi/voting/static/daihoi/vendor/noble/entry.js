export { ristretto255 } from '@noble/curves/ed25519.js';
export { sha256, sha512 } from '@noble/hashes/sha2.js';
