"""One sanitiser for everything xref shows that came from outside: article titles and text,
file names (article ids), the corpus folder's name, bookmark fields and tags, catalogue names,
error messages that quote any of them.

Outside text must never steer the terminal: an OSC 52 sequence in a title put text in the
clipboard when the article was opened, OSC 0 set the window title, U+202E reversed a line, and
a newline in a file name split one CLI line into two that looked like xref's own. So ``shown``
removes escape sequences, C0 and C1 control characters and bidirectional overrides and
isolates (through ``index.text.clean``, which the index uses for the same job), and unless a
field may hold several lines, turns every line or paragraph separator into a space.

Kept free of Rich and Textual: the command line imports it before anything heavy.
Markup is a separate danger, handled where text meets Textual: outside text goes into
``rich.text.Text`` objects or ``notify(..., markup=False)``, never into a markup string.
"""

from __future__ import annotations

import json
import re
from typing import Any

from index.text import clean

# What ``clean`` keeps (tab, newline) and what it does not know as a break (U+2028, U+2029).
_BREAKS = str.maketrans({"\n": " ", "\t": " ", "\u2028": " ", "\u2029": " "})
# Characters JSON may carry unescaped that a terminal could still act on: C1 controls (8-bit
# CSI, OSC…), bidirectional controls, line and paragraph separators.
_JSON_RISKY = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: object, multiline: bool = False) -> str:
    """``text`` fit to be shown: no escape sequences, control characters or bidi overrides;
    on one line unless ``multiline``."""
    out = clean(text if isinstance(text, str) else str(text))
    return out if multiline else out.translate(_BREAKS)


def to_json(value: Any, ensure_ascii: bool = False) -> str:
    """JSON for other tools: values stay exact (an id must round-trip into the next command),
    so nothing is removed. ``json.dumps`` escapes C0 controls, ESC included; the few other
    characters that could steer a terminal reading the output are written as ``\\uXXXX``
    escapes, which decode to the same string."""
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=2)
    return _JSON_RISKY.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
