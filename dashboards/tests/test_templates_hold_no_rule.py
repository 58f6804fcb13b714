"""The pages' and documents' templates branch on flags the read model prepared
(indicators.reading), never on a target's status, scope or period themselves."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A comparison of a result's or target's status, scope or period, or arithmetic on the term.
RULE = re.compile(r"{%\s*(?:el)?if\b[^%]*(?:\.status|\.scope|\.period|term_end|\.progress)\b[^%]*%}")


def test_no_template_of_the_pages_or_documents_decides_a_rule():
    templates = [p for app in ("dashboards", "exports") for p in (ROOT / app / "templates").rglob("*.html")]
    assert len(templates) >= 5
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in templates
             for m in RULE.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
