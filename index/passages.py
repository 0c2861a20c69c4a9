"""What is read off an article's text: its passages (paragraphs with offsets), its title,
byline and date. Word shapes and layout only: nothing here knows one corpus."""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.article import Passage

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪–]|\d+[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    pos = 0
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        assert m is not None
        line = m.group(0)
        body = line.rstrip("\r\n")
        yield pos, pos + len(body)
        if not line:
            break
        pos = m.end()


def _wrapped(block: list[tuple[int, int]], text: str, markdown: bool) -> bool:
    """Is this multi-line block one hard-wrapped paragraph rather than a list of lines?

    Markdown joins lines unless they are list items or headings. Plain text is joined only when
    it looks wrapped: every line but the last of a typical terminal width, none a list item.
    Lines of a news site's copy-paste (one paragraph per line, no blank lines) stay apart.
    """
    lines = [text[s:e] for s, e in block]
    if any(_LIST_ITEM.match(line) or _MD_HEADING.match(line) for line in lines):
        return False
    if markdown:
        return True
    return all(40 <= len(line.rstrip()) <= 100 for line in lines[:-1])


def split_passages(text: str, markdown: bool = False) -> list[Passage]:
    """Split ``text`` into paragraphs with offsets, trimmed of surrounding white space."""
    blocks: list[list[tuple[int, int]]] = [[]]
    for start, end in _lines(text):
        if text[start:end].strip():
            blocks[-1].append((start, end))
        elif blocks[-1]:
            blocks.append([])
    spans: list[tuple[int, int]] = []
    for block in blocks:
        if not block:
            continue
        if len(block) > 1 and _wrapped(block, text, markdown):
            spans.append((block[0][0], block[-1][1]))
        else:
            spans.extend(block)
    passages: list[Passage] = []
    for start, end in spans:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        passages.append(Passage(len(passages), start + lead, end - trail))
    return passages


# --- metadata -------------------------------------------------------------------------------

_BREADCRUMB = re.compile(r"^\s*(home|main page|startseite)\s*[/>»›|]", re.I)
_CHROME = re.compile(
    r"^(skip to (main )?content|menu|search|share( this)?|advertisement|updated on|new update"
    r"|author-image|published|key takeaways:?)$",
    re.I,
)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|bin|al|el|la|le)){0,4}"
_BYLINE = [
    re.compile(rf"^(?:author|written by|by|words by|reporter)\s*[:\-–—]?\s*({_NAME})\s*$", re.I),
    re.compile(rf"^about\s+(?:the\s+author\s*[:\-]?\s*)?({_NAME})\s*$", re.I),
]
_MONTHS = """january february march april may june july august september october
november december""".split()
_MON = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = [
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(\d{{4}})\b", re.I), "dmy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
]
_DATE_PREFIX = re.compile(
    r"^(?:published|posted|updated|date|dated|last updated)?\s*(?:on)?\s*[:\-]?\s*", re.I
)


def _is_breadcrumb(line: str) -> bool:
    return bool(_BREADCRUMB.match(line)) or line.count(" / ") >= 2 or line.count(" > ") >= 2


def find_title(lines: list[str], rel_path: str) -> str:
    """The first meaningful line: not a breadcrumb, not site chrome, not a bare date."""
    for line in lines[:20]:
        stripped = line.strip().lstrip("#").strip()
        if not stripped or _is_breadcrumb(stripped) or _CHROME.match(stripped):
            continue
        if find_date([stripped]) and len(stripped) < 40:
            continue
        return stripped[:300]
    stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ")


def find_byline(lines: list[str]) -> str | None:
    """A byline where the text shows one: "Author: X", "By X", "About X", after author-image."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.lower() == "author-image" and i + 1 < len(lines):
            name = lines[i + 1].strip()
            if re.fullmatch(_NAME, name):
                return name
        if len(stripped) > 80:
            continue
        for pattern in _BYLINE:
            m = pattern.match(stripped)
            if m:
                return m.group(1).strip()
    return None


def find_date(lines: list[str]) -> str | None:
    """An ISO date from the first short line that is mostly a date ("December 10, 2013")."""
    for line in lines[:40]:
        stripped = _DATE_PREFIX.sub("", line.strip(), count=1)
        if not stripped or len(stripped) > 40:
            continue
        for pattern, order in _DATE_PATTERNS:
            m = pattern.search(stripped)
            if not m or len(stripped) - (m.end() - m.start()) > 12:
                continue
            if order == "iso":
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            elif order == "mdy":
                mo, d, y = _month(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                d, mo, y = int(m.group(1)), _month(m.group(2)), int(m.group(3))
            if 1 <= mo <= 12 and 1 <= d <= 31 and 1800 <= y <= 2200:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _month(name: str) -> int:
    name = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name))
