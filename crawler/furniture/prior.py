"""The cold-start furniture prior: hand-written rules for short standalone lines, never prose.

What an outlet repeats on every page is learned (crawler/furniture/learned.py);
these rules cover an outlet's first pages and the furniture that differs on each
page (an image credit, "Also read: <headline>"). Extraction, topic matching and
dedup normalisation all use this one list.

Trafilatura removes navigation, comments and most boxes, but the labels of
inline inserts survive because they sit in ordinary <p> elements between the
story's paragraphs: "Also read", "Others are reading now", "Ads by MGDK", an
image credit under the headline, "Read more at ...". Each rule below matches a
whole line (after trimming), and only a short one, so story prose that merely
contains such words is never touched.
"""

from __future__ import annotations

import re

# A furniture line is short; anything longer is prose we must keep.
MAX_LABEL_CHARS = 80
# "Also read: <linked headline>" lines carry a headline, so they run longer.
MAX_TEASER_CHARS = 220

_LABELS = re.compile(
    r"""^(?:
        also\ read|read\ also|read\ more|see\ also|more\ reading|further\ reading
      | related(?:\ (?:stories|articles|news|content|coverage|posts))?
      | others\ are\ reading(?:\ now)?|what\ others\ are\ reading|people\ are\ reading
      | (?:most\ )?(?:read|popular|trending)(?:\ now|\ stories|\ articles)?
      | recommended(?:\ for\ you|\ stories)?|you\ may\ (?:also\ )?like|don'?t\ miss
      | more\ (?:from|on|in)\ [\w\s&'’.-]{1,40}|more\ stories|latest\ news|top\ stories
      | advertisement|advertising|sponsored(?:\ content)?|promoted(?:\ content)?
      | ads?\ by\ [\w.&-]+(?:\ [\w.&-]+)?|ad
      | continue\ reading(?:\ below)?|story\ continues(?:\ below)?(?:\ advertisement)?
      | share(?:\ this)?(?:\ (?:article|story))?|share\ on\ \w+|follow\ us(?:\ on\ [\w\s,]+)?
      | sign\ up\ (?:for|to)\ [\w\s'’]{1,40}|subscribe(?:\ to\ [\w\s'’]{1,40})?
      | (?:leave\ a\ |post\ a\ |show\ |view\ )?comments?(?:\ \(\d+\))?|\d+\ comments?
      | homepage(?:\ news)?|home\ news|home
      | accept(?:\ all)?(?:\ cookies)?|cookie\ (?:settings|preferences|policy)
      | (?:click|tap)\ here\b.*|copyright\b.*
      | (?:licensing|reprints?|permissions|syndication)
        (?:\ (?:and|&)\ (?:licensing|reprints?|permissions|syndication))?
    )[\s:.!…»›>|-]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Teasers that carry a linked headline after the label.
_TEASER = re.compile(
    r"""^(?:also\ read|read\ also|read\ more|see\ also|related|watch|listen|more|latest)
        \s*[:|»›-]\s*\S""",
    re.IGNORECASE | re.VERBOSE,
)

# "Read more at The Outlet", the tail of a truncated syndicated copy.
_READ_MORE_AT = re.compile(
    r"""^(?:read(?:\ more)?|continue\ reading)(?:\ the)?(?:\ full)?(?:\ (?:story|article))?
        \ (?:at|on)\ \S.*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Image credits: "X, Public domain, via Wikimedia Commons", "Photo: AP", "(Reuters)".
_CREDIT = re.compile(
    r"""(?:
        ^(?:photo|image|picture|pictured|credit|illustration|foto|video)s?
          (?:\ credit)?\s*(?::|by)\s*.+$
      | via\ wikimedia\ commons\.?$
      | ^©.+$
      | [/(]\s*(?:getty\ images|shutterstock|afp|reuters|ap(?:\ photo)?|epa|anadolu)\W*$
      | ^(?:getty\ images|shutterstock|afp\ via\ getty\ images)\b
      | ^\((?:photo|image):?.+\)$
    )""",
    re.IGNORECASE | re.VERBOSE,
)


# "Licensing and reprints: sales@outlet.example", "Tips: news@outlet.example"
_CONTACT = re.compile(r"^[\w\s&'’-]{2,40}:\s*\S+@\S+\.\w+$")


# Datelines and bylines set as their own line: "Posted by Dana Reyes on
# 11/23/2026 at 02:55 AM UTC", "Updated: 23 November 2026 14:05", "By Jane Doe and
# Li Wei". The metadata reader already took the author and date from them; a
# sentence ("Published in 2024, the report found ...") ends with a full stop.
_DATELINE = re.compile(
    r"""^(?:posted|published|updated|last\ updated)\s*(?::|on\b|at\b|by\b|\d)
        [\w ,/:|-]*
        (?:\d{1,2}[/:.-]\d{1,2}|\b(?:19|20)\d{2}\b)[\w ,/:|-]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME = r"[A-Z][\w'’.-]*,?(?: |$)"
_BYLINE = re.compile(rf"^By (?:{_NAME}){{1,4}}(?:(?:and|&) (?:{_NAME}){{1,4}})*$")
MAX_DATELINE_CHARS = 100


def is_furniture(line: str) -> bool:
    """Whether a whole standalone line is furniture rather than story text."""
    line = line.strip()
    if not line:
        return True
    if len(line) <= MAX_LABEL_CHARS and (
        _LABELS.match(line) or _CREDIT.search(line) or _CONTACT.match(line)
    ):
        return True
    if _is_dateline(line):
        return True
    return len(line) <= MAX_TEASER_CHARS and bool(_TEASER.match(line) or _READ_MORE_AT.match(line))


def _is_dateline(line: str) -> bool:
    if len(line) > MAX_DATELINE_CHARS or line.endswith((".", "!", "?", '"', "”")):
        return False
    return bool(_DATELINE.match(line) or _BYLINE.match(line))


def _comparable(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def strip_furniture(text: str, title: str = "") -> str:
    """The story text without furniture lines or the headline repeated on top.

    Breadcrumb trails ending in the headline ("Homepage News <headline>") and
    the headline itself are dropped from the first lines only: further down, a
    line equal to the headline may be a quote.
    """
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if not is_furniture(line)]
    wanted_title = _comparable(title)
    while kept and wanted_title:
        first = _comparable(kept[0])
        if first == wanted_title or (
            first.endswith(wanted_title) and len(first) - len(wanted_title) <= 40
        ):
            kept.pop(0)
        else:
            break
    return "\n".join(kept)
