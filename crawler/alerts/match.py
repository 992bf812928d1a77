"""Which alert rules a story matches: the topic matcher per rule, behind a term pre-filter.

Most rules name words a story must contain. Each rule is filed under a few *key words*,
at least one of which every matching story holds (an AND needs one child's keys, an OR
all its children's), so a story is checked only against the rules filed under words it
contains, plus the few rules without keys (prefix-only or NOT-only queries, topic-only
rules). With 1,000 rules that is a handful of matcher calls per story instead of 1,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crawler.query import (
    QueryTree,
    TokenizedDocument,
    compile_matcher,
    parse_query,
    terms_for_highlight,
)
from crawler.query.tree import And, Not, Or, Term

if TYPE_CHECKING:
    from crawler.config.alerts import AlertRule
    from crawler.query.tree import Node
    from crawler.story import Story

_KEY_FIELDS = ("title", "text", "outlet", "author")
_TOKEN_FIELDS = ("title", "text")  # analysed terms are filed under tokens


def key_words(node: Node) -> frozenset[str] | None:
    """Words one of which every document matching `node` contains; None when there are none."""
    if isinstance(node, Term):
        if node.prefix:
            return None
        if node.analysed:  # filed under each alternative's first token
            return frozenset(alternative[0] for alternative in node.alternatives())
        return frozenset(node.words[:1])
    if isinstance(node, Not):
        return None
    children = [key_words(child) for child in node.children]
    if isinstance(node, Or):
        if any(keys is None for keys in children):
            return None
        return frozenset().union(*(keys for keys in children if keys is not None))
    assert isinstance(node, And)
    usable = [keys for keys in children if keys is not None]
    return min(usable, key=len) if usable else None


@dataclass
class CompiledRule:
    rule: AlertRule
    tree: QueryTree | None
    matcher: Callable[[Any], bool] | None
    terms: list[tuple[str, Callable[[Any], bool]]]  # (term as written, its own matcher)

    def matches(self, story: Story, doc: TokenizedDocument) -> bool:
        rule = self.rule
        if rule.topics and not set(rule.topics) & set(story.topics):
            return False
        if rule.outlets and not set(rule.outlets) & set(story.outlets):
            return False
        if rule.languages and story.language not in rule.languages:
            return False
        return self.matcher is None or self.matcher(doc)

    def matched_terms(self, doc: TokenizedDocument) -> list[str]:
        return [text for text, matcher in self.terms if matcher(doc)]


def compile_rule(rule: AlertRule) -> CompiledRule:
    if not rule.query.strip():
        return CompiledRule(rule, None, None, [])
    tree = parse_query(rule.query)
    terms = []
    for term in dict.fromkeys(terms_for_highlight(tree)):
        terms.append((term.text, compile_matcher(QueryTree(term.text, term))))
    return CompiledRule(rule, tree, compile_matcher(tree), terms)


def story_document(story: Story) -> TokenizedDocument:
    """A story as the matcher reads it: title, text, outlets and authors."""
    return TokenizedDocument(
        {
            "title": story.title,
            "text": story.text,
            "outlet": story.outlet,
            "outlets": story.outlets,
            "authors": story.authors,
            "language": story.language,
        }
    )


class RuleIndex:
    """The rules filed under their key words; `matching(story)` runs only the likely ones."""

    def __init__(self, rules: Iterable[AlertRule], *, prefilter: bool = True) -> None:
        self.rules = [compile_rule(rule) for rule in rules]
        self.prefilter = prefilter
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._always: list[int] = []
        for position, compiled in enumerate(self.rules):
            keys = key_words(compiled.tree.root) if compiled.tree and prefilter else None
            if keys is None:
                self._always.append(position)
            else:
                for word in keys:
                    self._by_word[word].append(position)

    def candidates(self, doc: TokenizedDocument) -> Sequence[int]:
        if not self.prefilter:
            return range(len(self.rules))
        found = set(self._always)
        by_word = self._by_word
        vocabularies = [doc.field(name).vocabulary for name in _KEY_FIELDS]
        vocabularies += [doc.tokens(name).vocabulary for name in _TOKEN_FIELDS]
        for vocabulary in vocabularies:
            for word in vocabulary:
                positions = by_word.get(word)
                if positions:
                    found.update(positions)
        return sorted(found)

    def matching(self, story: Story) -> list[tuple[CompiledRule, TokenizedDocument]]:
        """The rules `story` matches, in config order, each with the story's tokens."""
        doc = story_document(story)
        return [
            (self.rules[i], doc) for i in self.candidates(doc) if self.rules[i].matches(story, doc)
        ]
