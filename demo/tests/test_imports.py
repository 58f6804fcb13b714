"""The demo and the bench/load tooling sit on top of the apps: they may import any app, no app
imports them. Read from the source (every import statement, also those inside functions), so a
forbidden import fails here even on a code path no other test runs."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
ON_TOP = {"demo", "loadtest", "bench"}  # the demo app, `make load`'s and `make bench`'s tooling


def _project_packages() -> list[Path]:
    """Every app of the project (not Django's nor a library's) and the project package itself."""
    folders = {Path(config.path) for config in apps.get_app_configs()} | {ROOT / "tiendo"}
    return sorted(folder for folder in folders if folder.is_relative_to(ROOT) and folder.name not in ON_TOP)


def _is_test_code(path: Path) -> bool:
    # An app's testing.py holds fixtures shared by test modules (README "Tests"); only tests import it.
    return ("tests" in path.parts or path.name.startswith("test_") or path.name in ("conftest.py", "testing.py"))


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def forbidden_imports() -> list[str]:
    found = []
    for package in _project_packages():
        for path in sorted(package.rglob("*.py")):
            if _is_test_code(path.relative_to(ROOT)):
                continue
            found += [f"{path.relative_to(ROOT)} imports {root}" for root in sorted(_imported_roots(path) & ON_TOP)]
    return found


def test_the_apps_are_walked():
    names = {package.name for package in _project_packages()}
    assert {"tiendo", "units", "programs", "reporting", "indicators", "dashboards", "exports", "accounts",
            "backups", "audit"} <= names
    assert not names & ON_TOP


def test_no_app_imports_the_demo_or_the_bench_and_load_tooling():
    assert forbidden_imports() == []


def test_the_demo_commands_live_in_the_demo_app():
    from django.core.management import get_commands

    commands = get_commands()
    assert {name: commands[name] for name in ("setup_demo", "demo_data", "demo_accounts", "demo_reports",
                                              "demo_narratives")} == dict.fromkeys(
        ("setup_demo", "demo_data", "demo_accounts", "demo_reports", "demo_narratives"), "demo")
    assert "bench_indicators" not in commands
