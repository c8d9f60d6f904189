"""How the catalog compresses an article's stored text: zlib, with a preset dictionary made
from the index's own first articles once it has `TRAIN_AFTER` of them.

A news article is short (2 KiB of text on average at CLICK-ID) and repeats what every other
article of its archive says: its outlet's boilerplate, its metadata's shape, the words news
is written in. Compressed alone, each starts from nothing; with a dictionary of the word
pairs most common in the archive's first 1,000 articles (8 KiB), the stored articles of
CLICK-ID's 22,000 took 20.7 MiB instead of 22.8, for 0.75 s more of compressing. zstd with
a trained dictionary made 18.1 MiB, faster, but took a dependency whose import alone costs a
search process some 10 ms; zlib's dictionaries are part of the standard library.

A stream compressed with a dictionary says so in its header (zlib's FDICT flag) and carries
the dictionary's checksum, which zlib checks: articles stored before there was one read back
as before."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from ..errors import IndexDamagedError

TRAIN_AFTER = 1000  # articles an index has before it makes its dictionary
# Articles a dictionary is made from, at most (the first): at CLICK-ID, 2,000 made it 0.1%
# better than 1,000, and took twice the time (1.1 s) and memory (42 MB, counting pairs).
TRAIN_ON = 1000
DICTIONARY_SIZE = 8192  # bytes; 32 KiB saved 0.8 MiB more at 22k and took twice as long
LEVEL = 6
_MIN_COUNT = 3  # a word pair in fewer of the samples than this is not worth a place
_FDICT = 0x20  # the header's flag for a stream compressed with a preset dictionary
DAMAGED = "an article's stored text needs a dictionary the catalog lacks"


def make_dictionary(samples: Iterable[bytes], size: int = DICTIONARY_SIZE) -> bytes:
    """A preset dictionary from stored articles (uncompressed): their most common pairs of
    whitespace-separated words, the most common last (zlib reaches the end of a dictionary
    in the fewest bits)."""
    counts: Counter[bytes] = Counter()
    for sample in samples:
        counts.update(map(b" ".join, pairwise(sample.split())))
    parts: list[bytes] = []
    used = 0
    for pair, n in counts.most_common():
        if n < _MIN_COUNT:
            break
        part = pair + b" "
        if used + len(part) > size:
            break
        parts.append(part)
        used += len(part)
    return b"".join(reversed(parts))


def needs_dictionary(stored: bytes) -> bool:
    """Whether a stored article was compressed with a dictionary."""
    return len(stored) > 1 and bool(stored[1] & _FDICT)


class Packer:
    """Compresses and decompresses stored articles, with the index's dictionary if it has
    one (`dictionary`: empty or None for none)."""

    def __init__(self, dictionary: bytes | None = None) -> None:
        self.dictionary = dictionary or None
        # A compressor with the dictionary loaded, copied for each article: loading it
        # anew took a third longer.
        self._primed = (
            zlib.compressobj(LEVEL, zlib.DEFLATED, zlib.MAX_WBITS, zdict=self.dictionary)
            if self.dictionary
            else None
        )

    def pack(self, data: bytes) -> bytes:
        if self._primed is not None:
            compressor = self._primed.copy()
        else:
            # A window only as large as the data: setting up zlib's default 32 KiB window
            # took as long as compressing a 2 KiB article (0.12 ms an article against
            # 0.065). `zlib.decompress` reads any window size.
            window = max(9, min(15, (len(data) - 1).bit_length()))
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, window)
        return compressor.compress(data) + compressor.flush()

    def unpack(self, stored: bytes) -> bytes:
        if not needs_dictionary(stored):
            return zlib.decompress(stored)
        if self.dictionary is None:
            raise IndexDamagedError(f"{DAMAGED}; run `newsreader index --rebuild`")
        decompressor = zlib.decompressobj(zdict=self.dictionary)
        data = decompressor.decompress(stored)
        if not decompressor.eof:
            raise zlib.error("incomplete or truncated stream")
        return data
