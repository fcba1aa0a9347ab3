"""Join codes, teacher tokens and saved-state ids: how they are made and checked.

A join code is read off a projector and typed on a phone, so its alphabet leaves out every
character that looks like another (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V): 19 characters, 6
of them give 47 million codes. The teacher's token is a 256-bit secret the server keeps only
as its SHA-256, compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

CODE_ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 6
CODE_PATTERN = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
SAVED_ID_LENGTH = 10
SAVED_ID_PATTERN = re.compile(r"^[a-z2-7]{10}$")
STUDENT_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_code() -> str:
    """A fresh join code, e.g. 'K4XHNA'."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A code as typed (any case, spaces or a dash between halves) in its stored form."""
    return re.sub(r"[\s-]", "", text).upper()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Whether `token` is the one whose hash is stored, in time that does not depend on where
    they differ."""
    return hmac.compare_digest(token_hash(token), stored_hash)


def new_student_id() -> str:
    return secrets.token_urlsafe(16)


def saved_id(state_json: bytes) -> str:
    """A saved state's id: the first 50 bits of its SHA-256 in base32, so saving the same state
    twice gives the same short link."""
    digest = hashlib.sha256(state_json).digest()
    return base64.b32encode(digest).decode().lower()[:SAVED_ID_LENGTH]
