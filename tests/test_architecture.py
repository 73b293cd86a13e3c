"""The core stays pure: no Django, no apps; the role homes sit on top, imported by no app (the
import contracts, and independent scans)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "holdspace"
CORE = PACKAGE / "core"
HOME = PACKAGE / "home"
FORBIDDEN = ("django", "ninja", "allauth", "axes")


def test_import_linter_contract_holds() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_no_core_module_names_django_or_an_app() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                inside_holdspace_app = name.startswith("holdspace.") and not name.startswith(
                    "holdspace.core"
                )
                if top in FORBIDDEN or inside_holdspace_app:
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def imported_names(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_app_imports_the_homes() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        if HOME not in path.parents
        for name in imported_names(path)
        if name == "holdspace.home" or name.startswith("holdspace.home.")
    ]
    assert offenders == []
