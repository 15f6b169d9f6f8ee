"""Envelope encryption of what people write: one data key per person, wrapped by a master key.

The master keys come from the environment (settings.CLOSER_ENCRYPTION_KEYS, newest first): the
newest wraps new data keys, any of them unwraps, and `manage.py rotate_keys` re-wraps every
data key under the newest so an old master key can be retired. Each person's data key is kept,
wrapped, in one row of accounts.DataKey; deleting the account deletes that row, and with it the
only way to read what they wrote, in the live database and in every backup (crypto-shredding).

Both layers use AES-256-GCM from `cryptography` (an AEAD: a changed byte fails to decrypt).
A stored text is `enc1:<user id>:<key id>:<base64 nonce + ciphertext>`; the header is the
associated data, so a ciphertext moved to another person's row does not decrypt. The key id is
random per data key, so a cached key is never used for another key's text.

core imports no app: accounts tells this module how to load and create data keys
(`set_key_store`, from its AppConfig). Unwrapped data keys stay in this process's memory
(at most MAX_CACHED_KEYS), as they must for a running server to read and write.
"""

import base64
import hashlib
import hmac
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

PREFIX = "enc1"
KEY_BYTES = 32
NONCE_BYTES = 12
MASTER_ID_BYTES = 8
MAX_CACHED_KEYS = 4096


class DecryptionError(Exception):
    """A stored text or data key that cannot be decrypted with the keys at hand."""


@dataclass(frozen=True)
class DataKey:
    """One person's unwrapped data key and the id that tags their ciphertexts."""

    key_id: str
    aead: AESGCM
    index_key: bytes  # for the blind search index (search_tokens), never for sealing
    # Loaded outside a transaction, so its row is committed. One loaded inside may be a row
    # created in that transaction and rolled back with it: fine for reading what it sealed,
    # but a write looks the row up again rather than seal text with a key no row keeps.
    confirmed: bool = False


class KeyStore(Protocol):
    """Where data keys live (accounts.keys): load one, or create it on first use."""

    def load(self, user_id: int) -> tuple[str, bytes] | None: ...

    def create(self, user_id: int) -> tuple[str, bytes]: ...


_store: KeyStore | None = None
_by_user: OrderedDict[int, DataKey] = OrderedDict()


def set_key_store(store: KeyStore) -> None:
    global _store
    _store = store


def forget_keys(user_id: int | None = None) -> None:
    """Drop cached data keys: one person's (their account is gone) or all (tests)."""
    if user_id is None:
        _by_user.clear()
    else:
        _by_user.pop(user_id, None)


# The master keys.


def parse_master_key(text: str) -> bytes:
    """A master key as written in CLOSER_ENCRYPTION_KEYS: 32 bytes in URL-safe base64."""
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            "Each key in CLOSER_ENCRYPTION_KEYS must be 32 bytes in URL-safe base64, e.g. "
            "from `python manage.py rotate_keys --new-key`."
        )
    return raw


def new_master_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


def master_keys() -> list[bytes]:
    """The configured master keys, newest first; refuses to run without one."""
    keys = [parse_master_key(text) for text in settings.CLOSER_ENCRYPTION_KEYS]
    if not keys:
        raise ImproperlyConfigured(
            "CLOSER_ENCRYPTION_KEYS is empty: journal text cannot be stored or read."
        )
    return keys


def master_id(key: bytes) -> bytes:
    """A short public name for a master key, stored in front of each key it wraps."""
    return hashlib.sha256(b"closer-master-key-id" + key).digest()[:MASTER_ID_BYTES]


def _wrap_aad(user_id: int, key_id: str) -> bytes:
    return f"closer-data-key:{user_id}:{key_id}".encode()


def wrap(user_id: int, key_id: str, data_key: bytes) -> bytes:
    """The data key encrypted under the newest master key, named by that key's id."""
    master = master_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(master).encrypt(nonce, data_key, _wrap_aad(user_id, key_id))
    return master_id(master) + nonce + sealed


def unwrap(user_id: int, key_id: str, wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped)
    name, nonce = wrapped[:MASTER_ID_BYTES], wrapped[MASTER_ID_BYTES:][:NONCE_BYTES]
    for master in master_keys():
        if master_id(master) == name:
            try:
                return AESGCM(master).decrypt(
                    nonce, wrapped[MASTER_ID_BYTES + NONCE_BYTES :], _wrap_aad(user_id, key_id)
                )
            except InvalidTag:
                break
    raise DecryptionError(f"The data key of user {user_id} opens with no configured master key.")


def wrapped_by_newest(wrapped: bytes) -> bool:
    return bytes(wrapped)[:MASTER_ID_BYTES] == master_id(master_keys()[0])


def new_data_key() -> tuple[str, bytes]:
    """A fresh (key id, data key)."""
    return os.urandom(8).hex(), AESGCM.generate_key(bit_length=8 * KEY_BYTES)


# Data keys, per person.


def _data_key(key_id: str, raw: bytes, confirmed: bool = False) -> DataKey:
    index_key = hmac.new(raw, b"closer-search-index", hashlib.sha256).digest()
    return DataKey(key_id, AESGCM(raw), index_key, confirmed)


def _remember(user_id: int, key_id: str, raw: bytes, confirmed: bool) -> DataKey:
    key = _data_key(key_id, raw, confirmed)
    _by_user[user_id] = key
    _by_user.move_to_end(user_id)
    while len(_by_user) > MAX_CACHED_KEYS:
        _by_user.popitem(last=False)
    return key


def _key_store() -> KeyStore:
    if _store is None:
        raise ImproperlyConfigured("No key store: accounts sets one when its app loads.")
    return _store


def _load(user_id: int) -> DataKey | None:
    found = _key_store().load(user_id)
    committed = not transaction.get_connection().in_atomic_block
    return _remember(user_id, *found, confirmed=committed) if found else None


def _loaded_key(user_id: int) -> DataKey | None:
    return _by_user.get(user_id) or _load(user_id)


def _key_for_writing(user_id: int) -> DataKey:
    cached = _by_user.get(user_id)
    key = cached if cached and cached.confirmed else _load(user_id)
    if key:
        return key
    key_id, raw = _key_store().create(user_id)
    # Cached only once the new key row is committed: a rolled-back one must not be used.
    transaction.on_commit(lambda: _remember(user_id, key_id, raw, confirmed=True))
    return _data_key(key_id, raw)


def _key_for_reading(user_id: int, key_id: str) -> DataKey:
    key = _loaded_key(user_id)
    if key and key.key_id != key_id:  # a stale cache entry, or a key created this transaction
        forget_keys(user_id)
        key = _loaded_key(user_id)
    if not key or key.key_id != key_id:
        raise DecryptionError(f"The key of user {user_id} is gone: the text cannot be read.")
    return key


# The small API: bytes for any feature that stores something of a person's.


def encrypt_for(user_id: int, data: bytes) -> bytes:
    """`data` sealed with the person's data key (created on first use)."""
    key = _key_for_writing(user_id)
    header = f"{PREFIX}:{user_id}:{key.key_id}".encode()
    nonce = os.urandom(NONCE_BYTES)
    return header + b":" + nonce + key.aead.encrypt(nonce, data, header)


def decrypt_for(user_id: int, sealed: bytes) -> bytes:
    """What encrypt_for sealed for this person; DecryptionError if it is not theirs."""
    owner, key_id, body = _split(sealed)
    if owner != user_id:
        raise DecryptionError("This text belongs to another person.")
    return _open(owner, key_id, body)


def _split(sealed: bytes) -> tuple[int, str, bytes]:
    try:
        prefix, owner, key_id, body = sealed.split(b":", 3)
        if prefix != PREFIX.encode():
            raise ValueError
        return int(owner), key_id.decode(), body
    except ValueError:
        raise DecryptionError("Not a text this app encrypted.") from None


def _open(user_id: int, key_id: str, body: bytes) -> bytes:
    header = f"{PREFIX}:{user_id}:{key_id}".encode()
    nonce, sealed = body[:NONCE_BYTES], body[NONCE_BYTES:]
    try:
        return _key_for_reading(user_id, key_id).aead.decrypt(nonce, sealed, header)
    except InvalidTag:
        raise DecryptionError(f"A text of user {user_id} does not decrypt.") from None


# Text, as the database stores it (core.fields.EncryptedTextField).


def is_encrypted(text: str) -> bool:
    return text.startswith(PREFIX + ":")


def encrypt_text(user_id: int, text: str) -> str:
    """The text sealed for the person, as one line of ASCII."""
    # The nonce and ciphertext may hold any byte, ":" too: split at the third colon only.
    _prefix, owner, key_id, body = encrypt_for(user_id, text.encode()).split(b":", 3)
    return f"{PREFIX}:{owner.decode()}:{key_id.decode()}:" + base64.b64encode(body).decode()


def decrypt_text(stored: str) -> str:
    """The text back, whoever's it is (the owner is named in the header)."""
    try:
        _prefix, owner, key_id, body = stored.split(":", 3)
        raw = base64.b64decode(body, validate=True)
        owner_id = int(owner)
    except ValueError:
        raise DecryptionError("Not a text this app encrypted.") from None
    return _open(owner_id, key_id, raw).decode()


def owner_of(stored: str) -> int:
    """The id of the person whose key seals this text (the header says it in the clear)."""
    return int(stored.split(":", 2)[1])


def search_tokens(user_id: int, words: set[str]) -> list[int]:
    """Each word as a keyed hash of the person's own (a blind index): equal words give equal
    numbers for them alone, and the numbers say nothing of the words without the key."""
    index_key = _key_for_writing(user_id).index_key
    return [
        int.from_bytes(
            hmac.new(index_key, word.encode(), hashlib.sha256).digest()[:8], "big", signed=True
        )
        for word in sorted(words)
    ]
