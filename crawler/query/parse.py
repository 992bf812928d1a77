"""Parse query text with luqum and turn its tree into a validated QueryTree."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from luqum import tree as lq
from luqum.exceptions import IllegalCharacterError, ParseSyntaxError
from luqum.parser import lexer as luqum_lexer
from luqum.thread import parse as luqum_parse

from crawler.query.errors import QuerySyntaxError
from crawler.query.normalise import words
from crawler.query.tree import EXACT, FIELDS, And, Node, Not, Or, QueryTree, Term

MAX_DEPTH = 40
"""Deepest nesting of groups, operators and fields accepted; deeper queries are rejected."""

_UNSUPPORTED = {
    lq.Fuzzy: ("fuzzy matching (~) is not supported", "~"),
    lq.Proximity: ("proximity search (~) is not supported", "~"),
    lq.Boost: ("boosts (^) are not supported", "^"),
    lq.Regex: ("regular expressions (/.../) are not supported", ""),
    lq.Range: ("ranges ([a TO b]) are not supported", ""),
    lq.From: ("ranges (>, >=) are not supported", ""),
    lq.To: ("ranges (<, <=) are not supported", ""),
}
_CHAR_HINTS = {
    '"': "unclosed quote",
    "'": "unexpected ' (quote phrases with double quotes)",
    "/": "unexpected / (regular expressions are not supported; quote text containing /)",
}
_LUQUM_POSITION = re.compile(r"position (\d+)")


@lru_cache(maxsize=512)
def parse_query(text: str) -> QueryTree:
    """Parse ``text`` into a :class:`QueryTree`; raise :class:`QuerySyntaxError` if malformed.

    Trees are cached by text (analysts page through and repeat queries; parsing takes a few
    milliseconds), so treat them, and the luqum tree inside, as read-only.
    """
    if not text.strip():
        raise QuerySyntaxError("empty query", text, 0)
    source = _Source(text)
    try:
        parsed = luqum_parse(source.rewritten)
    except (IllegalCharacterError, ParseSyntaxError) as exc:
        raise source.luqum_error(exc) from None
    return QueryTree(text, source.convert(parsed, None, 0), parsed)


class _Source:
    """The query text rewritten for luqum, and the way back to positions in the original."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rewritten, self.origin = _rewrite_operators(text)

    def error(self, reason: str, rewritten_pos: int) -> QuerySyntaxError:
        return QuerySyntaxError(reason, self.text, self.origin[rewritten_pos])

    def luqum_error(self, exc: Exception) -> QuerySyntaxError:
        found = _LUQUM_POSITION.search(str(exc))
        if found is None:  # luqum reports no position for an early end of input
            return QuerySyntaxError(
                "unexpected end of query (an operator or field needs a term after it)",
                self.text,
                len(self.text),
            )
        pos = int(found.group(1))
        char = self.rewritten[pos]
        if isinstance(exc, IllegalCharacterError):
            return self.error(_CHAR_HINTS.get(char, f"unexpected character {char!r}"), pos)
        token = self.rewritten[pos:].split(None, 1)[0]
        if token in ("AND", "OR", "NOT"):
            return self.error(f"{token} needs a term on each side", pos)
        return self.error(f"unexpected {token!r}", pos)

    def convert(self, node: Any, field: str | None, depth: int, exact: bool = False) -> Node:
        """Turn one luqum node into a query-tree node, validating it."""
        if depth > MAX_DEPTH:
            raise self.error(f"query is nested too deeply (more than {MAX_DEPTH} levels)", node.pos)
        for kind, (reason, marker) in _UNSUPPORTED.items():
            if isinstance(node, kind):
                at = self.rewritten.find(marker, node.pos) if marker else node.pos
                raise self.error(reason, at if at >= 0 else node.pos)
        if isinstance(node, lq.Word):
            return self.word(node, field, exact)
        if isinstance(node, lq.Phrase):
            return self.phrase(node, field, exact)
        if isinstance(node, lq.SearchField):
            return self.search_field(node, field, depth, exact)
        if isinstance(node, (lq.Group, lq.FieldGroup, lq.Plus)):
            # +term: required, which the implicit AND already makes every term
            return self.convert(node.children[0], field, depth + 1, exact)
        if isinstance(node, (lq.Not, lq.Prohibit)):
            child = self.convert(node.children[0], field, depth + 1, exact)
            return child.child if isinstance(child, Not) else Not(child)
        if isinstance(node, (lq.AndOperation, lq.UnknownOperation, lq.OrOperation)):
            kind_ = Or if isinstance(node, lq.OrOperation) else And
            children: list[Node] = []
            for item in node.children:
                child = self.convert(item, field, depth + 1, exact)
                children.extend(child.children if isinstance(child, kind_) else (child,))
            return kind_(tuple(children))
        raise self.error(f"unsupported syntax {str(node).strip()!r}", node.pos)

    def search_field(
        self, node: lq.SearchField, field: str | None, depth: int, exact: bool
    ) -> Node:
        name = node.name.lower()
        if name == EXACT:  # a modifier, not a field: it goes inside or around one
            return self.convert(node.expr, field, depth + 1, True)
        if field is not None:
            raise self.error(f"field {node.name!r} inside field {field!r}", node.pos)
        if name not in FIELDS:
            raise self.error(
                f"unknown field {node.name!r} (fields are {', '.join(FIELDS)}, and {EXACT}: "
                "for exact forms; quote text that contains a colon)",
                node.pos,
            )
        return self.convert(node.expr, name, depth + 1, exact)

    def word(self, node: lq.Word, field: str | None, exact: bool) -> Term:
        chars = _unescape(node.value)
        for index, (char, literal, offset) in enumerate(chars):
            if literal or char not in "*?":
                continue
            at = node.pos + offset
            if char == "?":
                raise self.error("? wildcards are not supported (use a trailing *)", at)
            if index == 0:
                raise self.error("leading wildcards are not supported", at)
            if index != len(chars) - 1:
                raise self.error("* is only supported at the end of a word", at)
        prefix = bool(chars) and not chars[-1][1] and chars[-1][0] == "*"
        stem = "".join(char for char, _, _ in (chars[:-1] if prefix else chars))
        found = tuple(words(stem))
        if not found:
            raise self.error(f"nothing to search for in {node.value!r}", node.pos)
        if prefix and len(found) > 1:
            raise self.error("a * prefix must follow a single word", node.pos)
        if prefix and len(found[0]) < 2:
            raise self.error("a * prefix needs at least 2 letters before the *", node.pos)
        return Term(stem, found, field, phrase=len(found) > 1, prefix=prefix, exact=exact)

    def phrase(self, node: lq.Phrase, field: str | None, exact: bool) -> Term:
        chars = _unescape(node.value[1:-1])
        for char, literal, offset in chars:
            if char == "*" and not literal:
                raise self.error("wildcards do not work inside quotes", node.pos + 1 + offset)
        text = "".join(char for char, _, _ in chars)
        found = tuple(words(text))
        if not found:
            raise self.error(f"nothing to search for in {node.value}", node.pos)
        return Term(text, found, field, phrase=True, exact=exact)


def _unescape(raw: str) -> list[tuple[str, bool, int]]:
    """Split ``raw`` into (char, escaped, offset) triples, dropping the backslashes."""
    chars: list[tuple[str, bool, int]] = []
    index = 0
    while index < len(raw):
        if raw[index] == "\\" and index + 1 < len(raw):
            chars.append((raw[index + 1], True, index + 1))
            index += 2
        else:
            chars.append((raw[index], False, index))
            index += 1
    return chars


def _rewrite_operators(text: str) -> tuple[str, list[int]]:
    """Spell ``&&``, ``||`` and ``!`` as AND, OR and NOT, which is what luqum understands.

    Returns the rewritten text and, for each of its positions (plus the end), the position in
    ``text`` it came from. Runs luqum's own lexer so that quotes and escapes are honoured
    exactly as the parser will see them; balances parentheses with precise positions.
    """
    lexer = luqum_lexer.clone()
    lexer.input(text)
    splices: list[tuple[int, int, str]] = []  # (start, length, replacement)
    open_parens: list[int] = []
    try:
        for token in iter(lexer.token, None):
            if token.type == "LPAREN":
                open_parens.append(token.lexpos)
            elif token.type == "RPAREN":
                if not open_parens:
                    raise QuerySyntaxError("unmatched )", text, token.lexpos)
                open_parens.pop()
            elif token.type == "TERM":
                value = token.value.value
                if value in ("&&", "||"):
                    splices.append((token.lexpos, 2, "AND" if value == "&&" else "OR"))
                else:
                    bangs = len(value) - len(value.lstrip("!"))
                    for offset in range(bangs):
                        splices.append((token.lexpos + offset, 1, "NOT "))
    except IllegalCharacterError:
        pass  # reported with its position by the parser, which sees the same text
    if open_parens:
        raise QuerySyntaxError("unclosed (", text, open_parens[-1])
    rewritten: list[str] = []
    origin: list[int] = []
    cursor = 0
    for start, length, replacement in splices:
        rewritten.append(text[cursor:start])
        origin.extend(range(cursor, start))
        rewritten.append(replacement)
        origin.extend([start] * len(replacement))
        cursor = start + length
    rewritten.append(text[cursor:])
    origin.extend(range(cursor, len(text) + 1))
    return "".join(rewritten), origin
