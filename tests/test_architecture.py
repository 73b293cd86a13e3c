"""The core stays pure: no Django, no apps (the import contract, and an independent scan)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "holdspace" / "core"
FORBIDDEN = ("django", "ninja", "allauth", "axes")


def test_import_linter_contract_holds() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


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
