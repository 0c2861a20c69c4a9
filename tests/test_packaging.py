"""A non-editable install carries every package: `pip install .` ships only the packages
pyproject.toml lists, so a package folder missing from that list breaks the installed app
while editable installs (and every other test) still pass."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("index", "tui")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed, f"not shipped by `pip install .`: {sorted(found - listed)}"
    assert "index.seeds" in listed  # the bundled corpus, mapped from seeds/
