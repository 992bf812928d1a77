"""Turn ground-truth records into template pages: story copies, listings, non-article pages."""

from __future__ import annotations

from tests.harness.newsweb.model import Copy, SpecialPage, World
from tests.harness.newsweb.templates import template
from tests.harness.newsweb.templates.base import ArticlePage, Block, ListingPage

HOME_LINKS = 60  # a homepage shows the latest stories, not the archive


class PageMaker:
    """Renders HTML for one world; `bases` maps outlet key to its base URL."""

    def __init__(self, world: World, bases: dict[str, str]) -> None:
        self.world = world
        self.bases = bases

    def url(self, outlet: str, path: str) -> str:
        return self.bases[outlet] + path

    def copy_html(self, copy: Copy, version: int) -> str:
        world = self.world
        story = world.story(copy.story_id)
        outlet = world.outlet(copy.outlet)
        updated = copy.updated if version and copy.update_paragraph else None
        page = ArticlePage(
            outlet=outlet,
            base=self.bases[outlet.key],
            url=self.url(outlet.key, copy.path),
            title=copy.title,
            description=story.description,
            authors=copy.authors,
            published=copy.published,
            updated=updated,
            blocks=self._blocks(copy, version),
            canonical=(
                self.url(copy.canonical_outlet, copy.canonical_path)
                if copy.canonical_outlet and copy.canonical_path
                else None
            ),
            section=story.section,
            tags=story.tags,
            image_credit=story.image_credit,
            related=[(title, self.url(outlet.key, path)) for title, path in copy.related],
            sources_line=story.sources_line,
            charset=copy.charset,
            # The non-UTF-8 pages declare their charset in the header or nowhere.
            meta_charset=copy.charset == "utf-8",
            lang=story.language if outlet.html_lang == "story" else outlet.html_lang,
        )
        return template(outlet.template).article(page)

    def _blocks(self, copy: Copy, version: int) -> list[Block]:
        story = self.world.story(copy.story_id)
        paragraphs = copy.paragraphs_at(version)
        insert_after = {1, len(paragraphs) // 2 + 1} if len(paragraphs) > 3 else {0}
        inserts = list(copy.inserts)
        blocks: list[Block] = []
        for i, text in enumerate(paragraphs):
            if i in story.subheads and i < len(story.paragraphs):
                blocks.append(Block("h2", story.subheads[i]))
            blocks.append(Block("p", text))
            if i in insert_after and inserts:
                line = inserts.pop(0)
                blocks.append(Block("insert", line, self._insert_href(copy, line)))
        if copy.read_more:
            origin = self.world.original(copy.story_id)
            blocks.append(Block("read_more", copy.read_more, self.url(origin.outlet, origin.path)))
        return blocks

    def _insert_href(self, copy: Copy, line: str) -> str:
        title = line.removeprefix("Also read: ")
        for other in self.world.copies_on(copy.outlet):
            if other.title == title:
                return self.url(copy.outlet, other.path)
        return self.url(copy.outlet, "/")

    def special_html(self, page: SpecialPage) -> str:
        """Video and paywall pages use the outlet's article template with a stub body."""
        outlet = self.world.outlet(page.outlet)
        caption = {
            "video": f"Watch: {page.title.removeprefix('Video: ')}.",
            "paywall": f"{page.title}: our correspondents have seen documents that show how the "
            "shipments are organised.",
        }[page.kind]
        assert page.published is not None
        article = ArticlePage(
            outlet=outlet,
            base=self.bases[outlet.key],
            url=self.url(outlet.key, page.path),
            title=page.title,
            description=caption,
            authors=[outlet.reporters[0]],
            published=page.published,
            updated=None,
            blocks=[Block("p", caption)],
            canonical=self.url(outlet.key, page.path),
            section=outlet.sections[0],
            tags=["north-korea"],
            image_credit="Handout",
            related=[],
            kind=page.kind,
        )
        return template(outlet.template).article(article)

    def listing_html(self, page: SpecialPage) -> str:
        outlet = self.world.outlet(page.outlet)
        copies = sorted(self.world.copies_on(outlet.key), key=lambda c: c.published, reverse=True)
        copies = [c for c in copies if c.in_feed]
        if page.kind == "section":
            index = outlet.sections.index(page.path.rsplit("/", 1)[1])
            copies = copies[index :: len(outlet.sections)]
        elif page.kind == "tag":
            tag = page.path.rsplit("/", 1)[1]
            copies = [c for c in copies if tag in self.world.story(c.story_id).tags]
        links = [
            (c.title, self.url(outlet.key, c.listed_path), self.world.story(c.story_id).description)
            for c in copies[:HOME_LINKS]
        ]
        if page.kind == "home":
            links += [
                (p.title, self.url(outlet.key, p.path), "")
                for p in self.world.special_pages
                if p.outlet == outlet.key and p.listed and p.title
            ]
            links += [
                (s.title(), self.url(outlet.key, f"/section/{s}"), "") for s in outlet.sections
            ]
        listing = ListingPage(
            outlet=outlet,
            base=self.bases[outlet.key],
            url=self.url(outlet.key, page.path),
            heading=outlet.name if page.kind == "home" else page.title,
            kind=page.kind,
            links=links,
        )
        return template(outlet.template).listing(listing)
