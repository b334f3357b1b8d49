"""Encrypted ballots (issue 10): exponential ElGamal on Ristretto255, zero-knowledge proofs, a threshold key
held by the counting committee, and the published election record that anyone can verify.

Pure Python over libsodium (rbcl); never imports Django. See docs/crypto.md for the design.
"""
