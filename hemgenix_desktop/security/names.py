"""Printed names a reader can trust: no invisible or direction-changing characters, one script, and a way to
tell that two names look alike (Unicode UTS #39 confusables, through the ``confusable-homoglyphs`` package).

A full name is printed beside every signature; a careful reader of the record must be able to tell two persons
apart. So a name is refused when it holds a control, format (zero-width, bidi override or isolate) or private-use
character, or letters of more than one script (a Cyrillic "А" inside a Latin name). :func:`skeleton` is what the
name looks like: each character that is confusable with a Latin one replaced by it, compatibility forms folded
(NFKC), case and spacing ignored; two names with the same skeleton look the same on paper.
"""

from __future__ import annotations

import unicodedata

from hemgenix_desktop.domain.errors import InvalidInput

# confusable_homoglyphs (its Unicode tables, and urllib, which it imports) loads where a name is first checked,
# not with the sign-in screen that imports this module (docs/performance.md, cold start).

# General categories never allowed in a printed name: controls, format characters (zero-width spaces and joiners,
# bidi overrides, embeddings and isolates, the byte-order mark), unassigned, private use, surrogates, line and
# paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def check_printed_name(name: str, what: str = "The full name", other: str = "another person's name") -> None:
    """Raise ``InvalidInput`` with the sentence when ``name`` (already trimmed) cannot be a printed name. ``what``
    names it in the sentence and ``other`` what it could be taken for: the site, workstation and printer names
    (``setting_table``) follow the same rule, since the site's is printed on every record and label and the
    workstation's goes into the audit trail."""
    for ch in name:
        category = unicodedata.category(ch)
        if category in _REFUSED_CATEGORIES or (category == "Zs" and ch != " "):
            raise InvalidInput(
                f"{what} holds an invisible or control character ({_describe(ch)}), which would make the "
                "printed name differ from what a reader sees. Type the name again with ordinary letters and spaces."
            )
    from confusable_homoglyphs import categories, confusables

    if confusables.is_mixed_script(name, allowed_aliases=["COMMON", "INHERITED"]):
        scripts = sorted({categories.alias(ch) for ch in name if categories.alias(ch) not in ("COMMON", "INHERITED")})
        raise InvalidInput(
            f"{what} mixes letters of several scripts ({', '.join(s.title() for s in scripts)}), so it could "
            f"look like {other} on the record. Type it again in one script."
        )


def skeleton(name: str) -> str:
    """What ``name`` looks like: confusable characters mapped to their Latin look-alike, compatibility forms
    folded, accents kept, case and spacing ignored."""
    folded = unicodedata.normalize("NFKC", name)
    out: list[str] = []
    for ch in folded:
        out.append(_latin_lookalike(ch))
    return " ".join("".join(out).casefold().split())


def _latin_lookalike(ch: str) -> str:
    from confusable_homoglyphs import categories, confusables

    if not ch.isalpha() or categories.alias(ch) == "LATIN":
        return ch
    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"])
    if not found:
        return ch
    for glyph in found[0]["homoglyphs"]:
        if all(categories.alias(c) in ("LATIN", "COMMON") for c in glyph["c"]):
            return str(glyph["c"])
    return ch


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


__all__ = ["check_printed_name", "skeleton"]
