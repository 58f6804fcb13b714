"""The documents read the same read model as the pages (indicators.reading), never the pages'
own code: nothing in exports/ imports dashboards/."""

import ast
import re
from pathlib import Path

EXPORTS = Path(__file__).resolve().parents[1]


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_exports_does_not_import_dashboards():
    offenders = sorted(
        f"{path.relative_to(EXPORTS.parent)}: {module}"
        for path in EXPORTS.rglob("*.py")
        for module in _imported_modules(path)
        if module == "dashboards" or module.startswith("dashboards.")
    )
    assert len(list(EXPORTS.rglob("*.py"))) > 10  # the walk sees the app's modules
    assert offenders == []


def test_exports_renders_no_template_of_dashboards():
    sources = [p for p in EXPORTS.rglob("*") if p.suffix in (".py", ".html") and p != Path(__file__).resolve()]
    assert [str(p.relative_to(EXPORTS.parent)) for p in sources
            if re.search(r"""["']dashboards/""", p.read_text(encoding="utf-8"))] == []
