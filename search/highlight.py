"""Safe highlighting of search terms in plain text."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 10


def query_terms(query: str) -> list[str]:
    """The words of a query worth highlighting (longest first, so "gift cards" marks
    "cards" whole rather than "card" + "s")."""
    words = {w.strip("\"'").lower() for w in query.split()}
    return sorted((w for w in words if len(w) >= 2), key=len, reverse=True)[:MAX_TERMS]


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def excerpt(text: str, terms: list[str], *, length: int = 220) -> str:
    """About ``length`` characters of ``text`` around the first match (the start without one)."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    end = text.rfind(" ", start, start + length)
    end = end if end > start else start + length
    return ("…" if start else "") + text[start:end] + "…"


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` HTML-escaped, with every occurrence of a term wrapped in ``<mark>``.

    Matching runs on the raw text and each piece is escaped on its own, so a term can never
    match inside an entity such as ``&amp;`` or inject markup.
    """
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
