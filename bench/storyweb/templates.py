"""The four syndicators' article templates: markup, class names and furniture nobody tuned for.

None of them resembles the test suite's mock web (tests/harness/newsweb): each has its own
markup, language of furniture lines, date format and metadata. Furniture that a
page-level topic decision trips over sits where trafilatura keeps it: in ordinary
paragraphs between and after the story's paragraphs.
"""

# HTML lines are kept whole so that the markup reads like the page it renders.
# ruff: noqa: E501

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass
class CopyPage:
    """One page a syndicator serves: a copy, a spliced copy or a round-up."""

    url: str
    title: str
    paragraphs: list[str]
    published: datetime
    author: str
    section: str  # "world" pages carry the syndicator's topic-word furniture line
    canonical: str | None = None
    teasers: list[tuple[int, str, str]] = field(default_factory=list)  # (after, headline, href)
    continue_to: tuple[str, str] | None = None  # (original URL, publisher) of a truncated copy
    items: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # round-up (headline, href, lead)


@dataclass(frozen=True)
class Syndicator:
    key: str
    name: str
    language: str
    listing: str  # rss | atom | sitemap | homepage
    teaser_label: str
    continue_label: str  # formatted with the publisher's name
    follow: str  # on every page
    section_line: str  # on "world" pages; mentions the topics' words
    render: Callable[[Syndicator, CopyPage], str]

    def path(self, slug: str, number: int, published: datetime) -> str:
        day = published.strftime("%Y/%m/%d")
        return {
            "relay": f"/world/{day}/{slug}-{number:04d}.html",
            "nordpost": f"/artikel/{number}-{slug}",
            "lefil": f"/actualites/{slug}_{number}.html",
            "sur": f"/noticias/{day}/{slug}/",
        }[self.key]

    def furniture(self, page: CopyPage) -> list[str]:
        """Every furniture line the page shows inside or after its story text."""
        lines = [f"{self.teaser_label} {headline}" for _, headline, _ in page.teasers]
        if page.continue_to:
            lines.append(self.continue_label.format(page.continue_to[1]))
        lines.append(self.follow)
        if page.section == "world":
            lines.append(self.section_line)
        if self.key == "relay":
            lines.append(RELAY_BIO)
        return lines


def _canonical(page: CopyPage) -> str:
    return f'<link rel="canonical" href="{escape(page.canonical)}">' if page.canonical else ""


def _body(
    syndicator: Syndicator, page: CopyPage, paragraph: str, teaser: str, tail: str = ""
) -> str:
    """Paragraphs with inline teasers after their positions, then the continue-reading line."""
    parts = []
    for index, text in enumerate(page.paragraphs):
        parts.append(paragraph.format(escape(text)))
        for after, headline, href in page.teasers:
            if after == index:
                parts.append(
                    teaser.format(escape(syndicator.teaser_label), escape(href), escape(headline))
                )
    for headline, href, lead in page.items:
        parts.append(f'<h3><a href="{escape(href)}">{escape(headline)}</a></h3>')
        parts.append(paragraph.format(escape(lead)))
    if page.continue_to and tail:
        url, publisher = page.continue_to
        parts.append(tail.format(escape(url), escape(syndicator.continue_label.format(publisher))))
    return "\n".join(parts)


RELAY_BIO = (
    "Mira Vasquez reports on the Kremlin and Eastern Europe for The Daily Relay. "
    "Follow her on X @miravasquez or on Facebook."
)


def relay(syndicator: Syndicator, page: CopyPage) -> str:
    iso = page.published.isoformat()
    body = _body(
        syndicator,
        page,
        "<p>{}</p>",
        '<p class="dr-inline"><b>{}</b> <a href="{}">{}</a></p>',
        '<p class="dr-continue"><a rel="nofollow" href="{}">{}</a></p>',
    )
    section = (
        f'<p class="dr-brief">{escape(syndicator.section_line)}</p>'
        if page.section == "world"
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(page.title)} — The Daily Relay</title>
<meta property="og:title" content="{escape(page.title)}">
<meta property="og:site_name" content="The Daily Relay">
<meta property="article:published_time" content="{iso}">
{_canonical(page)}
</head><body class="relay">
<header class="masthead"><a href="/">The Daily Relay</a>
<nav><a href="/world/">World</a> <a href="/politics/">Politics</a> <a href="/culture/">Culture</a></nav></header>
<main id="content"><article class="dr-story" itemscope itemtype="https://schema.org/NewsArticle">
<h1 class="dr-headline" itemprop="headline">{escape(page.title)}</h1>
<div class="dr-meta">By <span itemprop="author">{escape(page.author)}</span> ·
<time itemprop="datePublished" datetime="{iso}">{page.published:%B %d, %Y %I:%M %p}</time></div>
<div class="dr-text" itemprop="articleBody">
{body}
{section}
<p class="dr-follow">{escape(syndicator.follow)}</p>
<p class="dr-bio">{escape(RELAY_BIO)}</p>
</div></article>
<aside class="dr-rail"><h3>Most read</h3><ol><li><a href="/">Today's front page</a></li></ol></aside>
</main>
<footer>© 2024 The Daily Relay · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></footer>
</body></html>
"""


def nordpost(syndicator: Syndicator, page: CopyPage) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.published.isoformat(),
        "author": {"@type": "Person", "name": page.author},
        "publisher": {"@type": "Organization", "name": "Nordpost"},
    }
    body = _body(
        syndicator,
        page,
        "<p>{}</p>",
        '<div class="np-lesetipp">{} <a href="{}">{}</a></div>',
        '<p class="np-weiter"><a href="{}">{} »</a></p>',
    )
    section = (
        f'<div class="np-newsletter">{escape(syndicator.section_line)}</div>'
        if page.section == "world"
        else ""
    )
    return f"""<html lang="de"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(page.title)} | Nordpost</title>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
{_canonical(page)}
</head><body><div id="wrap">
<div id="kopf"><a href="/">Nordpost</a> – Nachrichten aus aller Welt</div>
<div id="spalte-links"><div class="np-beitrag">
<h2 class="np-titel">{escape(page.title)}</h2>
<span class="np-datum">Veröffentlicht am {page.published:%d.%m.%Y, %H:%M} Uhr</span>
<div class="np-inhalt">
{body}
</div>
<p class="np-social">{escape(syndicator.follow)}</p>
{section}
</div></div>
<div id="fuss">Impressum · Datenschutz · Kontakt</div>
</div></body></html>
"""


def lefil(syndicator: Syndicator, page: CopyPage) -> str:
    when = page.published
    human = f"{when.day} {MONTHS_FR[when.month - 1]} {when.year} à {when:%Hh%M}"
    body = _body(
        syndicator,
        page,
        '<p class="fil-p">{}</p>',
        '<p class="fil-alire"><span>{}</span> <a href="{}">{}</a></p>',
        '<p class="fil-suite"><a href="{}">{}</a></p>',
    )
    section = (
        f'<p class="fil-lettre">{escape(syndicator.section_line)}</p>'
        if page.section == "world"
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="UTF-8">
<title>{escape(page.title)} - Le Fil Express</title>
<meta name="twitter:title" content="{escape(page.title)}">
<meta property="og:type" content="article">
<meta name="date" content="{when.isoformat()}">
{_canonical(page)}
</head><body>
<div class="fil-bandeau"><a href="/">Le Fil Express</a> · <a href="/monde/">Monde</a> · <a href="/france/">France</a></div>
<div class="fil-article">
<h1 class="fil-titre">{escape(page.title)}</h1>
<div class="fil-signature">Par {escape(page.author)} · Publié le {human}</div>
<div class="fil-corps">
{body}
{section}
<p class="fil-reseaux">{escape(syndicator.follow)}</p>
</div></div>
<div class="fil-pied">Mentions légales · Gestion des cookies</div>
</body></html>
"""


def sur(syndicator: Syndicator, page: CopyPage) -> str:
    body = _body(
        syndicator,
        page,
        "<p>{}</p>",
        '<p class="nota__relacionada">{} <a href="{}">{}</a></p>',
        '<p class="nota__seguir"><a href="{}">{}</a></p>',
    )
    section = (
        f'<p class="nota__seccion">{escape(syndicator.section_line)}</p>'
        if page.section == "world"
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<title>{escape(page.title)} | Agencia Sur</title>
<meta property="og:title" content="{escape(page.title)}">
<meta property="og:type" content="article">
<meta itemprop="datePublished" content="{page.published.isoformat()}">
{_canonical(page)}
</head><body>
<nav class="menu"><a href="/">Portada</a> <a href="/internacional/">Internacional</a> <a href="/cultura/">Cultura</a></nav>
<section class="nota">
<h1 class="nota__titulo">{escape(page.title)}</h1>
<p class="nota__firma">{escape(page.author)} · {page.published:%d/%m/%Y %H:%M}</p>
<div class="nota__cuerpo">
{body}
{section}
<p class="nota__redes">{escape(syndicator.follow)}</p>
</div></section>
<footer class="pie">Agencia Sur · Aviso legal · Política de privacidad</footer>
</body></html>
"""


SYNDICATORS = (
    Syndicator(
        key="relay",
        name="The Daily Relay",
        language="en",
        listing="rss",
        teaser_label="Others are reading now:",
        continue_label="Continue reading at {}",
        follow="Follow The Daily Relay on Bluesky, Threads and WhatsApp.",
        section_line="Get our Middle East briefing: the war in Gaza and what comes next, "
        "every weekday evening. Sign up here.",
        render=relay,
    ),
    Syndicator(
        key="nordpost",
        name="Nordpost",
        language="de",
        listing="atom",
        teaser_label="Andere lesen gerade:",
        continue_label="Weiterlesen bei {}",
        follow="Folgen Sie Nordpost auf Mastodon, Instagram und Telegram.",
        section_line="Newsletter „Lage in der Ukraine“: jeden Morgen um sieben – "
        "jetzt kostenlos abonnieren.",
        render=nordpost,
    ),
    Syndicator(
        key="lefil",
        name="Le Fil Express",
        language="fr",
        listing="sitemap",
        teaser_label="D'autres lisent en ce moment :",
        continue_label="Lire la suite sur {}",
        follow="Suivez Le Fil Express sur X, Facebook et LinkedIn.",
        section_line="Recevez chaque soir notre lettre « Proche-Orient : Gaza, Israël, Liban ».",
        render=lefil,
    ),
    Syndicator(
        key="sur",
        name="Agencia Sur",
        language="es",
        listing="homepage",
        teaser_label="Otros están leyendo ahora:",
        continue_label="Seguir leyendo en {}",
        follow="Síguenos en Instagram, TikTok y WhatsApp.",
        section_line="Más noticias sobre Gaza, Hamás e Israel en nuestra sección Internacional.",
        render=sur,
    ),
)
