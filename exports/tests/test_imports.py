"""The documents read the same read model as the pages (indicators.reading), never the pages'
own code: nothing in exports/ imports dashboards/."""

import ast
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
    texts = [p.read_text(encoding="utf-8") for p in EXPORTS.rglob("*") if p.suffix in (".py", ".html")]
    assert not [t for t in texts if '"dashboards/' in t or "'dashboards/" in t]
