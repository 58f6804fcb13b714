"""The program language has one door: programs.definition (and the parsed objects the rows
hand out). No module outside programs/ imports the old dict-taking wrappers
programs.expressions or programs.schema (now removed), should they come back; implementation
plans (plans/, reporting/plans.py, reporting/views/plans.py) are let off while they move into
their own app."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD_MODULES = {"programs.expressions", "programs.schema"}
NOT_SOURCES = {".venv", "var", "node_modules", ".git", "build", "dist"}
# Where the old modules may still be imported: their own app, and the plans while they move.
ALLOWED = ("programs/", "plans/", "reporting/plans.py", "reporting/views/plans.py")


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if NOT_SOURCES.isdisjoint(relative.parts) and not relative.parts[0].endswith(".egg-info"):
            yield relative.as_posix(), path


def old_imports(tree: ast.AST) -> set[str]:
    """The old modules a module imports, in any spelling: `import programs.schema`,
    `from programs.expressions import x`, `from programs import expressions`."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in OLD_MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in OLD_MODULES:
                found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names} & OLD_MODULES
    return found


def test_the_walk_finds_the_apps_and_spots_every_spelling():
    paths = {relative for relative, _ in sources()}
    assert {"indicators/engine.py", "reporting/validation.py", "dashboards/views.py"} <= paths
    assert not any(p.startswith(".venv/") for p in paths)
    spelled = "import programs.schema\nfrom programs.expressions import describe\nfrom programs import expressions\n"
    assert old_imports(ast.parse(spelled)) == OLD_MODULES
    assert old_imports(ast.parse("from programs.definition import UnitFilter\nfrom programs import models\n")) == set()


def test_no_module_outside_programs_imports_the_dict_readers():
    offenders = {
        relative: sorted(imported)
        for relative, path in sources()
        if not relative.startswith(ALLOWED)
        and (imported := old_imports(ast.parse(path.read_text(encoding="utf-8"), filename=relative)))
    }
    assert offenders == {}
