"""Signing keys (Ed25519, from ``cryptography``): every database file has one key pair.

The private key stays in the file's ``meta`` table (made the first time it is
needed: a master's when it first assigns, an evaluator's when it first
receives).  The trust model is in the README: assignments carry the master's
public key, which the evaluator's database pins per round; the master pins
an evaluator's public key at the first package answering an assignment, and
refuses any other key for that assignment from then on.
"""
from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from workbench.model.store import get_meta, set_meta

_META_KEY = "signing_key"


def signing_key(session: Session) -> Ed25519PrivateKey:
    """This database's private key, made on first use."""
    stored = get_meta(session, _META_KEY)
    if stored:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored))
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    set_meta(session, _META_KEY, raw.hex())
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return key.sign(data).hex()


def verify(public: str, data: bytes, signature: str) -> bool:
    """True when ``signature`` (hex) is ``public``'s (hex) signature of ``data``."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(bytes.fromhex(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public: str) -> str:
    """A short form of a public key for people to compare by phone (first 16 hex digits, in fours)."""
    head = public[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, len(head), 4))
