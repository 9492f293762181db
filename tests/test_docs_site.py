"""The docs build as a site: every page is in mkdocs.yml's nav, and ``mkdocs build --strict`` passes (broken links
and anchors, pages left out of the nav)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _nav_pages(nav: list[dict[str, str]]) -> list[str]:
    return [page for entry in nav for page in entry.values()]


def test_every_docs_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    pages = sorted(path.name for path in (ROOT / "docs").glob("*.md"))
    assert sorted(_nav_pages(config["nav"])) == pages
    assert _nav_pages(config["nav"])[0] == "index.md"


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("pymdownx") is None,
    reason="mkdocs or pymdown-extensions is not installed: pip install -e '.[docs]'",
)
def test_mkdocs_builds_the_site_strictly(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "async" / "index.html").exists()
    for page in (tmp_path / "site").rglob("*.html"):  # a fence that did not render shows up as its backticks
        assert "```" not in page.read_text(), f"{page.relative_to(tmp_path)} shows a code fence as text"
