"""The multilingual slice of the mock news web: five outlets, eight languages, hand-written.

`build_multilingual_world(now)` gives a `World` like `build_world()`'s (served with
`python -m tests.harness.newsweb --world multilingual`); no RNG, so the ground truth
is the tables in `europe.py` and `asia.py`. See the README's "Multilingual slice".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.harness.newsweb.model import Copy, Outlet, SpecialPage, Story, World
from tests.harness.newsweb.multilingual import asia, europe
from tests.harness.newsweb.multilingual.text import LangText, Republished
from tests.harness.newsweb.outlets import OFFSITE

LANGUAGES = ("ru", "uk", "ko", "ja", "zh", "de", "fr", "ar")
# Per language, the base form an analyst searches for (tests and bench/multilingual.py).
BASE_FORMS = {
    "ru": '"Северная Корея"',
    "uk": '"Північна Корея"',
    "ko": "북한",
    "ja": "北朝鮮",
    "zh": "朝鲜",
    "de": "Nordkorea",
    "fr": '"Corée du Nord"',
    "ar": '"كوريا الشمالية"',
}
# The query an analyst writes: base forms only, in the languages the war is reported in.
TOPIC_QUERY = '"Северная Корея" OR "Північна Корея" OR 북한 OR 北朝鮮 OR 朝鲜 OR Nordkorea'
# The same, with the French and Arabic base forms: every on-topic story of the slice.
FULL_TOPIC_QUERY = TOPIC_QUERY + ' OR "Corée du Nord" OR "كوريا الشمالية"'
TOPIC_NAME = "dprk-multilingual"


def _outlet(key: str, name: str, ip: str, feed: str, **extra: object) -> Outlet:
    return Outlet(
        key=key,
        name=name,
        ip=ip,
        template="native",
        feed_format="rss",
        feed_path=feed,
        article_path="/{yyyy}/{mm}/{dd}/{slug}",
        json_ld=False,
        open_graph=True,
        sections=("world",),
        reporters=(f"{name} staff",),
        **extra,  # type: ignore[arg-type]
    )


OUTLETS: tuple[Outlet, ...] = (
    # A wire service publishing in every language, each page marked with its language.
    _outlet("polyglot", "Polyglot Wire", "127.0.0.20", "/feed.xml"),
    # Russian and Ukrainian: its CMS marks every page lang="en" (a wrong hint).
    _outlet("eastern", "Eastern Courier", "127.0.0.21", "/rss", html_lang="en"),
    # Korean, Japanese, Chinese: no <html lang>, a Content-Language header instead.
    _outlet("asia", "Asia Herald", "127.0.0.22", "/rss.xml", html_lang=None, content_language=True),
    _outlet("euro", "Euro Digest", "127.0.0.23", "/feed"),
    _outlet("gulf", "Gulf Daily", "127.0.0.24", "/rss/latest.xml"),
)
TEXTS: tuple[LangText, ...] = europe.STORIES + asia.STORIES


def build_multilingual_world(now: datetime) -> World:
    """The slice as a `World`: stories, their copies, and each outlet's homepage."""
    stories: list[Story] = []
    copies: list[Copy] = []
    for text in TEXTS:
        story = _story(text, now)
        stories.append(story)
        copies.append(_copy(story, text.origin, "original", story.title, story.paragraphs))
        for n, republished in enumerate(text.copies, start=1):
            copies.append(_republished(story, republished, n))
    for page in copies:
        others = [c for c in copies if c.outlet == page.outlet and c.story_id != page.story_id]
        page.related = [(c.title, c.path) for c in others[:4]]
        page.furniture = [c.title for c in others[:4]]
    homes = [SpecialPage(o.key, "/", "home", False, "links to articles", o.name) for o in OUTLETS]
    return World(
        seed=0,
        now=now,
        outlets=list(OUTLETS),
        stories=stories,
        copies=copies,
        hard_negative_pairs=[],
        special_pages=homes,
        offsite=OFFSITE,
    )


def text_of(story_id: str) -> LangText:
    """The declaration of one story of the slice."""
    return next(t for t in TEXTS if t.id == story_id)


def _story(text: LangText, now: datetime) -> Story:
    return Story(
        id=text.id,
        on_topic=text.on_topic,
        kind=text.kind,
        title=text.title,
        description=text.paragraphs[0],
        paragraphs=list(text.paragraphs),
        published=now - timedelta(hours=text.hours_ago),
        authors=[],
        origin=text.origin,
        language=text.language,
    )


def _copy(story: Story, outlet: str, variation: str, title: str, body: list[str]) -> Copy:
    published = story.published
    if variation != "original" or outlet != story.origin:
        published += timedelta(hours=2)
    path = f"/{published:%Y/%m/%d}/{story.id}" + ("" if outlet == story.origin else "-copy")
    canonical = path if variation != "light_edit" else None
    return Copy(
        story_id=story.id,
        outlet=outlet,
        path=path,
        variation=variation,
        title=title,
        authors=[],
        published=published,
        paragraphs=list(body),
        canonical_path=canonical,
        canonical_outlet=outlet if canonical else None,
    )


def _republished(story: Story, copy: Republished, n: int) -> Copy:
    body = list(story.paragraphs)
    for old, new in copy.edits:
        if not any(old in p for p in body):
            raise ValueError(f"{story.id}: edit {old!r} is not in the text")
        body = [p.replace(old, new) for p in body]
    made = _copy(story, copy.outlet, copy.variation, copy.title or story.title, body)
    if n > 1:
        made.path += f"-{n}"
    return made
