"""The request log's packed bodies, a memory device: what a stored session costs drops from about 7.7 to 5.0 KiB
(``python -m bench.bench_devices``, bench/README.md).

The log keeps each JSON body as the bytes that went over the wire (:class:`JsonText`, a third of its decoded size);
once entries are no longer among the newest :data:`RECENT_UNPACKED`, :func:`pack_bodies` deflates a batch of their
requests and answers as one stream (:class:`PackedBodies`, each entry pointing at its pair with a
:class:`PackedPair`); they are inflated and decoded only when viewed.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from typing import Any

__all__ = [
    "BATCH_BYTES",
    "PACK_BATCH",
    "RECENT_UNPACKED",
    "JsonText",
    "PackedBodies",
    "PackedPair",
    "pack_bodies",
    "pack_pairs",
]


class JsonText(bytes):
    """A JSON document kept as the bytes that went over the wire: a :class:`RecordedRequest` given one for ``json``
    or ``response_json`` stores it compactly (a third of the decoded size) and decodes it on each read."""


#: How many of the newest request log entries keep their bodies unpacked (quick to read; a test that sends a few
#: requests packs nothing).
RECENT_UNPACKED = 64
#: How many entries are packed at a time, once that many more than :data:`RECENT_UNPACKED` are unpacked.
PACK_BATCH = 64
#: Bodies shorter than this together stay as they are (packing them would not save anything worth the pointer).
_PACK_FROM = 64

#: Raw deflate with a 32 KiB window: consecutive log entries repeat each other, which one stream finds.
_WBITS = -15
#: The most raw bytes one packed stream holds (reading any document of it inflates the whole stream).
BATCH_BYTES = 256 * 1024


class PackedBodies:
    """Wire JSON documents of several request log entries deflated as one stream: consecutive entries repeat
    each other (same operation, same campaigns, same cart), so a stream takes a few percent of the raw bytes."""

    __slots__ = ("_blob", "_bounds")

    def __init__(self, documents: list[bytes]) -> None:
        packer = zlib.compressobj(1, zlib.DEFLATED, _WBITS)
        bounds = array("Q", [0])
        chunks = []
        for document in documents:
            chunks.append(packer.compress(document))
            bounds.append(bounds[-1] + len(document))
        chunks.append(packer.flush())
        self._blob = b"".join(chunks)
        self._bounds = bounds

    def document(self, index: int) -> bytes:
        """Document ``index`` (in the order given), byte for byte."""
        raw = zlib.decompress(self._blob, _WBITS)
        return raw[self._bounds[index] : self._bounds[index + 1]]


class PackedPair:
    """A request body and its answer kept in a :class:`PackedBodies`: documents ``2 * pair`` and ``2 * pair + 1``."""

    __slots__ = ("bodies", "pair")

    def __init__(self, bodies: PackedBodies, pair: int) -> None:
        self.bodies = bodies
        self.pair = pair

    def document(self, which: int) -> bytes:
        """The request body (``0``) or the answer (``1``)."""
        return self.bodies.document(2 * self.pair + which)


def pack_pairs(pairs: list[tuple[bytes, bytes]]) -> list[PackedPair]:
    """One :class:`PackedPair` per (request body, answer), deflated together in streams of at most
    :data:`BATCH_BYTES` raw bytes (a pair never split)."""
    packed: list[PackedPair] = []
    start, size = 0, 0
    for end, (first, second) in enumerate(pairs, 1):
        size += len(first) + len(second)
        if size >= BATCH_BYTES or end == len(pairs):
            group = pairs[start:end]
            bodies = PackedBodies([document for pair in group for document in pair])
            packed.extend(PackedPair(bodies, index) for index in range(len(group)))
            start, size = end, 0
    return packed


def pack_bodies(entries: Sequence[object]) -> None:
    """Deflate the :class:`JsonText` bodies of ``entries`` (request log entries, ``RecordedRequest``) together
    (:func:`pack_pairs`); the entries read the same."""
    chosen: list[tuple[dict[str, Any], bool, bool]] = []
    pairs: list[tuple[bytes, bytes]] = []
    for entry in entries:
        store = vars(entry)
        sent, answer = store["_json"], store["_response_json"]
        sent_text, answer_text = isinstance(sent, JsonText), isinstance(answer, JsonText)
        pair = (sent if sent_text else b"", answer if answer_text else b"")
        if len(pair[0]) + len(pair[1]) >= _PACK_FROM:
            chosen.append((store, sent_text, answer_text))
            pairs.append(pair)
    for (store, sent_text, answer_text), packed in zip(chosen, pack_pairs(pairs), strict=True):
        if sent_text:
            store["_json"] = packed
        if answer_text:
            store["_response_json"] = packed
