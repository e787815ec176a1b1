"""A digest page's identity: the sha256 of its text with line endings and a BOM normalized.

Re-importing a page that is already in the library must change nothing, even
when the copy came through Windows (CRLF), an old Mac tool (CR) or an editor
that adds a byte-order mark: the same text is the same digest. The hash is
therefore taken over the bytes with a leading UTF-8 BOM removed and every
CRLF and lone CR made LF. Pages are UTF-8 (the parsers refuse anything else),
where ``\\r`` and ``\\n`` never occur inside a multi-byte character, so this
works on the bytes without decoding them.

Libraries written before this stored the sha256 of the raw bytes. For a file
with LF line endings and no BOM (nearly every file) both hashes are the same;
for the others the raw hash is still compared (:attr:`PageHashes.all`), so a
digest stored the old way still matches its file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class PageHashes:
    """A page's content hash (stored with new digests) and the hash of its raw bytes."""

    content: str
    raw: str

    @property
    def all(self) -> frozenset[str]:
        """Every hash a stored digest of this page may carry."""
        return frozenset((self.content, self.raw))


def normalized_text(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 BOM and with every line ending made LF."""
    data = data.removeprefix(_BOM)
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def page_hashes(data: bytes) -> PageHashes:
    content = hashlib.sha256(normalized_text(data)).hexdigest()
    if not data.startswith(_BOM) and b"\r" not in data:
        return PageHashes(content, content)  # nothing was normalized: one hash
    return PageHashes(content, hashlib.sha256(data).hexdigest())
