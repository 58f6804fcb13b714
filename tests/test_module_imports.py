"""How the project's modules import each other, read from the source (every import statement,
those inside functions too):

* no two modules import each other, directly or round a longer circle: an import moved into a
  function hides a circle from Python, not from the reader (the shared piece moves to a module
  both can import);
* no test module imports another test module: what tests share lives in a testing module
  (accounts/testing.py, plans/testing.py, tests/factories.py, …)."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]


def _is_code(path: Path) -> bool:
    """The project's own modules: not tests, not migrations (Django writes and orders those)."""
    return not ({"tests", "migrations"} & set(path.parts)) and not path.name.startswith("test_")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """Every module of the project's apps and of the project package, by dotted name."""
    folders = {Path(config.path) for config in apps.get_app_configs()} | {ROOT / "tiendo"}
    # The virtualenv may sit inside the checkout (make's .venv): installed apps are not ours.
    return {_module_name(path): path
            for folder in folders if folder.is_relative_to(ROOT) and "site-packages" not in folder.parts
            for path in folder.rglob("*.py") if _is_code(path.relative_to(ROOT))}


def _imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name `name` imports, a `from package import module` naming the module too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            source = ".".join(part for part in (base, node.module or "") if part)
            found |= {source} | {f"{source}.{alias.name}" for alias in node.names}
    return found


def _imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports."""
    return (_imported_names(name, path) & modules.keys()) - {name}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through imports (Tarjan's strongly connected
    components of more than one module), each sorted."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def test_the_modules_and_their_imports_are_read():
    graph = import_graph()
    assert {"tiendo.views", "tiendo.middleware", "programs.models", "programs.definition"} <= graph.keys()
    assert "programs.definition" in graph["programs.models"]
    assert "tiendo.views" in graph["tiendo.middleware"]


def test_circles_of_any_length_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_no_module_of_the_project_imports_one_that_imports_it_back():
    assert circles(import_graph()) == []


def project_test_modules() -> dict[str, Path]:
    """Every test module of the project (test_*.py in an app or in tests/), by dotted name."""
    folders = {Path(config.path) for config in apps.get_app_configs()} | {ROOT / "tests"}
    return {_module_name(path): path
            for folder in folders if folder.is_relative_to(ROOT) for path in folder.rglob("test_*.py")}


def test_no_test_module_imports_another_test_module():
    modules = project_test_modules()
    assert {"reporting.tests.test_plans", "tests.test_module_imports"} <= modules.keys()
    imports = {name: sorted(_imported_names(name, path) & modules.keys()) for name, path in modules.items()}
    assert {name: imported for name, imported in imports.items() if imported} == {}


# The apps below the reporting layer, and what they must never import (a function's import
# included). Their pages (views, urls), admin and commands are the top of the stack, where a
# request or a command meets every layer; their domain modules are not.
BELOW_REPORTING = ("units", "programs")
ABOVE_THEM = ("reporting", "accounts", "plans", "indicators", "dashboards", "exports", "api", "reorganising",
              "notifications", "demo")
ENTRY_POINTS = ("views", "urls", "admin", "management")


def layer_violations(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """Domain modules of a lower app that import a module of an app above it."""
    found = {}
    for module, imported in graph.items():
        app, *rest = module.split(".")
        if app not in BELOW_REPORTING or set(rest) & set(ENTRY_POINTS):
            continue
        higher = sorted(name for name in imported if name.split(".")[0] in ABOVE_THEM)
        if higher:
            found[module] = higher
    return found


def test_a_layer_violation_is_found_even_inside_a_function():
    graph = {"units.reorganisation": {"units.models", "reporting.models"}, "units.views": {"accounts.permissions"},
             "reporting.completeness": {"units.models"}}
    assert layer_violations(graph) == {"units.reorganisation": ["reporting.models"]}


def test_units_and_programs_import_nothing_above_them():
    assert layer_violations(import_graph()) == {}
