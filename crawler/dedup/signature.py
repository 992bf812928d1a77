"""MinHash signatures cut into LSH band keys: how a page finds its candidate stories."""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np
from datasketch import MinHash

from crawler.dedup.normalise import body_paragraphs, content_hash
from crawler.dedup.shingles import shingles
from crawler.items import DedupSignature, text_digest

# Whole-body signature: 32 bands of 4 rows. A pair becomes a candidate with
# probability 1-(1-J^4)^32: 0.87 at Jaccard 0.5, 0.99 at 0.6, 0.23 at 0.3.
BODY_PERM = 128
BODY_BANDS = 32
# Lead signatures over the first words only: a truncated copy (the first
# paragraphs plus "Read more") has a low Jaccard with the full body but the
# same lead, so it still finds its story. 16 bands of 4 rows per window, one
# window from the first paragraph and one from the second, with the same band
# numbers: a line one copy carries above the story (a byline or dateline that
# slipped past extraction) then shifts one window but not the other.
LEAD_WORDS = 50
LEAD_WINDOWS = 2
LEAD_PERM = 64
LEAD_BANDS = 16
ROWS = BODY_PERM // BODY_BANDS
SCHEME = "affine32"


@cache
def _template(num_perm: int, seed: int) -> MinHash:
    # Permutations are drawn once per process and shared by every signature.
    return MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)


def minhash(features: set[str], num_perm: int, seed: int) -> MinHash:
    """A MinHash of `features` with this module's fixed permutations."""
    template = _template(num_perm, seed)
    sketch = MinHash(
        num_perm=num_perm, seed=seed, permutations=template.permutations, scheme=SCHEME
    )
    sketch.update_batch([feature.encode("utf-8") for feature in sorted(features)])
    return sketch


def _keys(sketch: MinHash, first_band: int) -> list[str]:
    values = np.asarray(sketch.hashvalues)
    keys = []
    for band in range(len(values) // ROWS):
        digest = hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8)
        keys.append(f"b{first_band + band:02d}:{digest.hexdigest()}")
    return keys


def band_keys(paragraphs: list[list[str]]) -> list[str]:
    """LSH band keys of a normalised body (paragraphs of words): body, then lead bands."""
    words = [word for paragraph in paragraphs for word in paragraph]
    if not words:
        return []
    keys = _keys(minhash(shingles(words), BODY_PERM, seed=1), 0)
    start = 0
    for paragraph in paragraphs[:LEAD_WINDOWS]:
        lead = minhash(shingles(words[start : start + LEAD_WORDS]), LEAD_PERM, seed=2)
        keys.extend(key for key in _keys(lead, BODY_BANDS) if key not in keys)
        start += len(paragraph)
    return keys


def sign(text: str) -> DedupSignature:
    """The dedup signature of an article body."""
    paragraphs = body_paragraphs(text)
    words = [word for paragraph in paragraphs for word in paragraph]
    digest = content_hash(words) if words else ""
    return DedupSignature(text_digest(text), paragraphs, digest, band_keys(paragraphs))
