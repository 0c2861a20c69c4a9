"""What makes a query malformed for ``xref search``: the README promises exit 2 for one.

Whoosh's parser never refuses a query: an operator with nothing on one side becomes a word
(``AND OR (`` searches the words "and" and "or" and lists nearly every article), a missing
``)`` or ``"`` is silently closed. That forgiveness suits the app's search-as-you-type, where
``(Putin OR`` is a query half typed; a command line answering a different question from the
one asked is worse than a one-line error, so the command checks the text first.
"""

from __future__ import annotations

import re

BINARY = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE"})  # Whoosh's, in capitals
UNARY = frozenset({"NOT"})
_TOKEN = re.compile(r"[()]|[^\s()]+")
_HINT = "; to search the word itself, write it in lower case"


def problem(text: str) -> str | None:
    """Why ``text`` is malformed, in one line, or None. Checked: quotes closed, parentheses
    balanced and not empty, every operator with something on each side it needs."""
    if text.count('"') % 2:
        return 'a quote (") is never closed'
    unquoted = re.sub(r'"[^"]*"', " phrase ", text)
    tokens = _TOKEN.findall(unquoted)
    depth = 0
    for i, tok in enumerate(tokens):
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok == "(":
            depth += 1
            if after == ")":
                return "empty parentheses: nothing to search for in ()"
        elif tok == ")":
            depth -= 1
            if depth < 0:
                return "a ')' closes nothing"
        elif tok in BINARY:
            if before is None or before == "(" or before in BINARY or before in UNARY:
                return f"'{tok}' has nothing on its left{_HINT}"
            if after is None or after == ")" or after in BINARY:
                return f"'{tok}' has nothing on its right{_HINT}"
        elif tok in UNARY and (after is None or after == ")" or after in BINARY):
            return f"'{tok}' has nothing after it{_HINT}"
    if depth > 0:
        return "a '(' is never closed"
    return None
