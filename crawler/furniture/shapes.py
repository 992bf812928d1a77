"""Furniture learned across outlets: the shapes of lines many outlets print around stories.

"Follow Newsbeat on Instagram, Facebook, Twitter and YouTube" on one outlet and
"Follow Relay Sport on Facebook and X" on another are one line with other names
in it. A line's shape masks what differs between outlets (capitalised names,
handles, e-mail addresses, links and numbers; a list of names is one name), so
"follow N on N" is counted across all outlets. A shape that at least
`MIN_OUTLETS` outlets print, in at least `MIN_VARIANTS` different wordings, is
furniture on every outlet from then on, also on one seen for the first time.

The two counts keep story text safe: a syndicated story's paragraph appears on
many outlets, but in one wording (its shape has one variant); a sentence that
merely names Facebook has a shape of its own. Only short lines are shaped.
"""

from __future__ import annotations

import hashlib
import re

from crawler.base import storytext
from crawler.base.fold import fold

MIN_OUTLETS = 3
MIN_VARIANTS = 3
# Furniture lines are short; a longer line is prose whatever its shape.
MAX_SHAPE_CHARS = 200
# A shape needs words of its own besides masks: "N on N" is a subheading's shape too.
MIN_PLAIN_WORDS = 2

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_TOKEN = re.compile(r"[\w'’.-]+|[^\w\s]")
# Words between names in a list of them ("Instagram, Facebook and X").
_LIST_GLUE = {",", "and", "or", "&", "und", "et", "y", "e", "i", "of", "the"}


_MASKS = {"_email_": "E@M", "_url_": "U", "_handle_": "@H", "_num_": "0"}
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "their", "hers"}


def shape_tokens(line: str) -> list[str]:
    """The line's tokens with names, handles, addresses, links and numbers masked.

    The first word keeps its case-folded form (a line's verb: "Follow", "Sign"),
    unless the line carries a handle or an address (an author box opens with a name).
    """
    text = storytext.plain(line)
    contact = bool(_EMAIL.search(text) or _HANDLE.search(text))
    text = _URL.sub(" _url_ ", _EMAIL.sub(" _email_ ", text))
    text = _NUMBER.sub(" _num_ ", _HANDLE.sub(" _handle_ ", text))
    tokens = []
    for position, token in enumerate(_TOKEN.findall(text)):
        if token in _MASKS:
            tokens.append(_MASKS[token])
        elif token[:1].isupper() and (position > 0 or contact):
            tokens.append("N")
        else:
            folded = fold(token)
            tokens.append("P" if folded in _PRONOUNS else folded)
    return _collapse(tokens)


def _collapse(tokens: list[str]) -> list[str]:
    """One N for a run of names and the glue between them ("N, N and N" -> "N")."""
    out: list[str] = []
    for token in tokens:
        if token == "N" and out and out[-1] == "N":
            continue
        if token == "N":
            while len(out) >= 2 and out[-1] in _LIST_GLUE and out[-2] == "N":
                out.pop()
            if out and out[-1] == "N":
                continue
        out.append(token)
    return out


def line_shape(line: str) -> str:
    """The key of the line's shape, or "" for a line not shaped (long, or names only)."""
    text = storytext.plain(line)
    if not text or len(text) > MAX_SHAPE_CHARS:
        return ""
    tokens = shape_tokens(text)
    plain_words = [t for t in tokens if t[:1].isalpha() and t not in {"N", "P", "U"}]
    if len(plain_words) < MIN_PLAIN_WORDS:
        return ""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=8).hexdigest()


def shape_text(line: str) -> str:
    """The shape as a person reads it (`newswatch furniture list`)."""
    return " ".join(shape_tokens(line))


def variant_key(line: str) -> str:
    """The line's own wording: two outlets printing the same words are one variant,
    also with other numbers in them (copies of a story update its figures)."""
    words = " ".join(re.findall(r"\w+", _NUMBER.sub("0", fold(storytext.plain(line)))))
    return hashlib.blake2b(words.encode("utf-8"), digest_size=8).hexdigest()
