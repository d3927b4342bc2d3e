"""Uploaded bytes on disk, content-addressed: one file per SHA-256, however many uploads point at it."""

import hashlib
import re
from pathlib import Path

from django.core.files.base import File

from .models import Upload, content_path

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_name(name: str) -> str:
    """A file name as shown and stored: its last part, no control characters (a NUL cannot be stored), 255 at most."""
    return _CONTROL.sub("", Path(str(name).replace("\\", "/")).name)[:255] or "upload"


def hash_and_size(file) -> tuple[str, int]:
    """SHA-256 and size, read in chunks (a file is never held whole here)."""
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _holds(storage, name: str, sha256: str) -> bool:
    """The stored file has exactly these bytes (not a copy cut short by a crash while it was written)."""
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def store_content(file, sha256: str) -> str:
    """Keep the bytes under their hash and return the stored name; bytes already stored are not written again."""
    storage = Upload._meta.get_field("file").storage
    name = content_path(sha256)
    if storage.exists(name):
        if _holds(storage, name, sha256):
            return name
        storage.delete(name)
    saved = storage.save(name, file if isinstance(file, File) else File(file))
    if saved != name:  # another request stored the same bytes a moment ago; keep one copy
        storage.delete(saved)
    return name
