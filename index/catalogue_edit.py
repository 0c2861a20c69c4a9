"""Changes to the entity catalogue's text, made the way a person would make them.

The catalogue (``entities.yaml``) is the user's file: comments, blank lines, order, quoting and
hand-written values must survive a change made by xref. So nothing here loads the YAML and dumps
it again; each change is spliced into the text at the positions PyYAML's composer gives every
node: a name appended to ``ignore: [..]`` in the style it is written in (flow or block), a pair
appended under ``merges:``, an entity's ``name:`` or ``type:`` value replaced in place, an entry
appended under ``entities:`` with the indentation of the entries above it. A key that is missing
is added at the end of the file.

Pure text to text, no file system (``catalogue_journal`` writes and undoes) and no Textual: the
command line and the app make the same edits. Every result is parsed again by the caller before
it is written; a text this module cannot edit safely raises ``EditError`` with one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from index.entities import entity_key

HEADER = (
    "# Entity catalogue: names and links only world knowledge gives (see xref's README).\n"
    "# Written by xref entity …; yours to edit: comments and order are kept.\n"
    "version: 1\n"
)


class EditError(ValueError):
    """The catalogue's text cannot be changed safely (not YAML, an unusual layout); one line."""


def flow(value: object) -> str:
    """``value`` as YAML that is valid inside a flow collection and on a block line alike:
    plain when it can be (``Key Takeaways``), quoted when it must (``'a, b'``, ``'yes'``)."""
    text = yaml.safe_dump(
        [value], default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    ).strip()
    return text[1:-1]


def pair(values: Sequence[str]) -> str:
    """A list of names in flow style, ``[A, B]``: how the README writes a merge."""
    return "[" + ", ".join(flow(v) for v in values) + "]"


@dataclass
class _Doc:
    """The text being edited (without a byte-order mark), its line ending and top mapping."""

    text: str
    newline: str
    root: MappingNode | None

    def key(self, name: str) -> tuple[ScalarNode, Node] | None:
        if self.root is None:
            return None
        found = [
            (k, v) for k, v in self.root.value if isinstance(k, ScalarNode) and k.value == name
        ]
        if len(found) > 1:
            line = found[1][0].start_mark.line + 1
            raise EditError(f"line {line}: a second '{name}:' key; edit the catalogue by hand")
        return found[0] if found else None

    def insert(self, at: int, text: str) -> None:
        self.text = self.text[:at] + text.replace("\n", self.newline) + self.text[at:]

    def replace(self, start: int, end: int, text: str) -> None:
        self.text = self.text[:start] + text + self.text[end:]

    def line_end(self, at: int) -> int:
        """Where the line holding offset ``at`` ends (after its newline, comment included)."""
        if at > 0 and self.text[at - 1] == "\n":
            return at
        nl = self.text.find("\n", at)
        if nl < 0:
            self.text += self.newline
            return len(self.text)
        return nl + 1

    def append_at_end(self, text: str) -> None:
        if self.text and not self.text.endswith("\n"):
            self.text += self.newline
        self.insert(len(self.text), text)


def _compose(text: str) -> _Doc:
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        from index.files import yaml_problem

        raise EditError(f"not valid YAML ({yaml_problem(exc)}); not changed") from exc
    if root is not None and not isinstance(root, MappingNode):
        raise EditError("line 1: expected a mapping with 'version' and 'entities'; not changed")
    if root is not None and root.flow_style:
        raise EditError("written as one {…} mapping; edit the catalogue by hand")
    return _Doc(text, newline, root)


def _last_leaf(node: Node) -> Node:
    """The last scalar inside ``node``: a block collection's own end mark lies past the
    comments and blank lines that follow it, which belong to what comes next."""
    while isinstance(node, (SequenceNode, MappingNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _append(doc: _Doc, key: str, item: str, block_item: str | None = None) -> None:
    """Append one item to the top-level list ``key``, in the style it is written in. ``item``
    is the flow form; ``block_item`` the block form, its continuation lines indented by two
    (an entity mapping); a missing key is added at the end, an empty ``[]`` kept in flow style
    for names (``ignore: [X]``) and opened into a block list for entries."""
    block = block_item if block_item is not None else item
    found = doc.key(key)
    if found is None:
        if block_item is None and key == "ignore":
            doc.append_at_end(f"{key}: [{item}]\n")
        else:
            doc.append_at_end(f"{key}:\n" + _indented(block, 2))
        return
    knode, value = found
    if isinstance(value, ScalarNode) and value.value == "" and value.tag.endswith(":null"):
        # ``ignore:`` with nothing after it: the list starts on the next line.
        at = doc.line_end(knode.end_mark.index)
        doc.insert(at, _indented(block, knode.start_mark.column + 2))
        return
    if not isinstance(value, SequenceNode):
        line = value.start_mark.line + 1
        raise EditError(f"line {line}: '{key}' is not a list; edit the catalogue by hand")
    if value.flow_style:
        close = doc.text.rfind("]", value.start_mark.index, value.end_mark.index)
        if not value.value and (block_item is not None or key == "merges"):
            # ``merges: []`` becomes a block list, as the README writes it.
            doc.replace(value.start_mark.index, value.end_mark.index, "")
            at = doc.line_end(knode.end_mark.index)
            doc.insert(at, _indented(block, knode.start_mark.column + 2))
            _strip_trailing_space(doc, knode.end_mark.index)
            return
        doc.insert(close, (", " if value.value else "") + item)
        return
    column = value.start_mark.column
    at = doc.line_end(_last_leaf(value).end_mark.index)
    doc.insert(at, _indented(block, column))


def _strip_trailing_space(doc: _Doc, after: int) -> None:
    """``key: []`` emptied leaves ``key: `` with a space before the newline: remove it."""
    nl = doc.text.find("\n", after)
    if nl < 0:
        return
    line_end = nl - 1 if doc.text[nl - 1 : nl] == "\r" else nl
    stripped = doc.text[after:line_end].rstrip(" ")
    doc.replace(after, line_end, stripped)


def _indented(block: str, column: int) -> str:
    """A block list item at ``column``: ``- `` before its first line, its other lines under it."""
    lines = block.split("\n")
    pad = " " * column
    out = [f"{pad}- {lines[0]}"] + [f"{pad}  {line}" for line in lines[1:]]
    return "\n".join(out) + "\n"


def _scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _get(mapping: MappingNode, name: str) -> tuple[ScalarNode, Node] | None:
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == name:
            return k, v
    return None


def find_entry(text: str, keys: set[str]) -> int | None:
    """The position (0-based) of the first ``entities:`` entry whose name or an alias has one
    of ``keys`` (entity keys), or None."""
    doc = _compose(text)
    for i, item in enumerate(_entries(doc)):
        if _entry_keys(item) & keys:
            return i
    return None


def _entries(doc: _Doc) -> list[MappingNode]:
    found = doc.key("entities")
    if found is None or not isinstance(found[1], SequenceNode):
        return []
    return [n for n in found[1].value if isinstance(n, MappingNode)]


def _entry_keys(item: MappingNode) -> set[str]:
    out = set()
    name = _get(item, "name")
    if name and _scalar(name[1]):
        out.add(entity_key(str(_scalar(name[1]))))
    aliases = _get(item, "aliases")
    if aliases and isinstance(aliases[1], SequenceNode):
        out |= {entity_key(n.value) for n in aliases[1].value if isinstance(n, ScalarNode)}
    return out


def _set_value(doc: _Doc, item: MappingNode, key: str, value: str) -> None:
    """Replace ``key``'s value in an entry (its comment stays), or add the key after the
    entry's last line (in a flow entry, before its ``}``)."""
    found = _get(item, key)
    if found is not None:
        node = found[1]
        if not isinstance(node, ScalarNode):
            line = node.start_mark.line + 1
            raise EditError(f"line {line}: '{key}' is not a single value; edit by hand")
        doc.replace(node.start_mark.index, node.end_mark.index, flow(value))
        return
    _add_key(doc, item, f"{key}: {flow(value)}")


def _add_key(doc: _Doc, item: MappingNode, line: str) -> None:
    if item.flow_style:
        close = doc.text.rfind("}", item.start_mark.index, item.end_mark.index)
        doc.insert(close, ", " + line)
        return
    at = doc.line_end(_last_leaf(item).end_mark.index)
    doc.insert(at, " " * item.start_mark.column + line + "\n")


def _add_alias(doc: _Doc, item: MappingNode, alias: str) -> None:
    found = _get(item, "aliases")
    if found is None:
        _add_key(doc, item, f"aliases: [{flow(alias)}]")
        return
    node = found[1]
    if isinstance(node, SequenceNode) and node.flow_style:
        close = doc.text.rfind("]", node.start_mark.index, node.end_mark.index)
        doc.insert(close, (", " if node.value else "") + flow(alias))
    elif isinstance(node, SequenceNode) and node.value:
        at = doc.line_end(_last_leaf(node).end_mark.index)
        doc.insert(at, _indented(flow(alias), node.start_mark.column))
    else:
        line = node.start_mark.line + 1
        raise EditError(f"line {line}: 'aliases' is not a list; edit the catalogue by hand")


def _start(text: str) -> tuple[str, _Doc]:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    if not body.strip():
        body = HEADER
    return bom, _compose(body)


def add_ignore(text: str, name: str) -> str:
    """``name`` added to ``ignore``."""
    bom, doc = _start(text)
    _append(doc, "ignore", flow(name))
    return bom + doc.text


def add_merge(text: str, names: Sequence[str]) -> str:
    """A merge of ``names`` (one entity from now on) added under ``merges``."""
    bom, doc = _start(text)
    _append(doc, "merges", pair(names))
    return bom + doc.text


def set_entity(
    text: str,
    keys: set[str],
    name: str,
    type_: str,
    new_name: str | None = None,
    alias: str | None = None,
) -> str:
    """The catalogue entry of the entity known by ``keys``: its ``type`` set, its ``name``
    changed to ``new_name`` (the old name then kept as ``alias`` so its mentions still link),
    in place. Without an entry, one is appended: ``name`` (or ``new_name``), ``type`` and the
    alias."""
    bom, doc = _start(text)
    index = next((i for i, e in enumerate(_entries(doc)) if _entry_keys(e) & keys), None)
    if index is None:
        lines = [f"name: {flow(new_name or name)}", f"type: {type_}"]
        if alias:
            lines.append(f"aliases: [{flow(alias)}]")
        _append(doc, "entities", "{" + ", ".join(lines) + "}", "\n".join(lines))
        return bom + doc.text
    # One change at a time, the text composed again after each: offsets stay true whatever
    # order the entry's keys are written in.
    item = _entries(doc)[index]
    if alias and entity_key(alias) not in _entry_keys(item) - {_name_key(item)}:
        _add_alias(doc, item, alias)
        doc = _compose(doc.text)
    _set_value(doc, _entries(doc)[index], "type", type_)
    if new_name:
        doc = _compose(doc.text)
        _set_value(doc, _entries(doc)[index], "name", new_name)
    return bom + doc.text


def _name_key(item: MappingNode) -> str:
    name = _get(item, "name")
    value = _scalar(name[1]) if name else None
    return entity_key(value) if value else ""
