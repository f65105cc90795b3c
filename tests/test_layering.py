"""What modules may take from each other (issue 23): no underscore name crosses a package boundary, and the
command line and the web app run and read runs through ``cruxmap.api`` only.

Both are read from the source with ``ast`` (nothing is imported). A module's package is the folder it sits in:
``cruxmap.cli.analysis`` may use ``cli.common._progress``, ``cruxmap.api`` may not use ``run.engine._x``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: the packages whose insides the CLI and the web app reach only through ``cruxmap.api``
RUN_INTERNALS = ("cruxmap.run", "cruxmap.store", "cruxmap.map", "cruxmap.scale", "cruxmap.engine", "cruxmap.runs")


@dataclass(frozen=True)
class Module:
    name: str  # cruxmap.cli.analysis
    package: str  # cruxmap.cli
    path: Path


def modules(src: Path, top: str = "cruxmap") -> list[Module]:
    found = []
    for path in sorted((src / top).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
            found.append(Module(".".join(parts), ".".join(parts), path))
        else:
            found.append(Module(".".join(parts), ".".join(parts[:-1]), path))
    return found


def _absolute(module: Module, level: int, name: str | None) -> str:
    """The module an ``import`` names, ``from ..x import y`` read from ``module``."""
    if level == 0:
        return name or ""
    base = module.package.split(".")
    base = base[:len(base) - (level - 1)]
    return ".".join([*base, *([name] if name else [])])


def _package_of(name: str, src: Path) -> str:
    """The package a module named ``name`` belongs to (itself for a package)."""
    path = src.joinpath(*name.split("."))
    return name if (path / "__init__.py").is_file() else name.rpartition(".")[0]


def _is_module(name: str, src: Path) -> bool:
    path = src.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def imports(module: Module, src: Path) -> list[tuple[int, str]]:
    """Each module ``module`` imports (or imports a name from), with the line, as absolute names."""
    found = []
    for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.level, node.module)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((node.lineno, full if _is_module(full, src) else base))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def private_uses(module: Module, src: Path, top: str = "cruxmap") -> list[str]:
    """``from other.package import _name`` and ``other_module._name`` in ``module``, one line each."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"))
    bound: dict[str, str] = {}  # a local name → the cruxmap module it stands for
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.level, node.module)
            if not (base == top or base.startswith(top + ".")):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if _is_module(full, src):
                    bound[alias.asname or alias.name] = full
                elif _private(alias.name) and _package_of(base, src) != module.package:
                    found.append(f"{module.path.name}:{node.lineno}: from {base} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == top or alias.name.startswith(top + "."):
                    bound[alias.asname or top] = alias.name if alias.asname else top
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and _private(node.attr)):
            continue
        target = _dotted(node.value)
        if target is None:
            continue
        head, _, rest = target.partition(".")
        if head not in bound:
            continue
        full = ".".join(x for x in (bound[head], rest) if x)
        if _is_module(full, src) and _package_of(full, src) != module.package:
            found.append(f"{module.path.name}:{node.lineno}: {full}.{node.attr}")
    return found


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def test_no_underscore_name_crosses_a_package():
    found = [use for module in modules(SRC) for use in private_uses(module, SRC)]
    assert found == []


def test_the_cli_and_the_web_app_reach_runs_through_the_api_only():
    found = []
    for module in modules(SRC):
        if module.package not in ("cruxmap.cli", "cruxmap.serve"):
            continue
        for line, name in imports(module, SRC):
            if any(name == inner or name.startswith(inner + ".") for inner in RUN_INTERNALS):
                found.append(f"{module.name}:{line} imports {name}")
    assert found == []



def calls_by_function(module: Module, callee: str, *, bare: bool = True, attribute_of: tuple[str, ...] = ()) -> set[str]:
    """The top-level functions (and methods, as ``Class.method``) of ``module`` that call ``callee``: as a bare
    name (``callee(…)``, unless ``bare`` is false), or as ``x.callee(…)`` where ``x`` ends with one of
    ``attribute_of``."""
    found = set()

    def calls(func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return bare and func.id == callee
        if isinstance(func, ast.Attribute) and func.attr == callee:
            return (_dotted(func.value) or "").rpartition(".")[2] in attribute_of
        return False

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, f"{where}.{child.name}" if where else child.name)
                continue
            if isinstance(child, ast.Call) and calls(child.func):
                found.add(where or "<module>")
            visit(child, where)

    visit(ast.parse(module.path.read_text(encoding="utf-8")), "")
    return found


def runs_built(module: Module) -> set[str]:
    """Where ``module`` builds the run engine's ``Run``: imported from ``cruxmap.run`` (under any local name) or
    reached as ``run.Run`` / ``engine.Run``. Another class that happens to be called ``Run`` is not counted."""
    names = {alias.asname or alias.name for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ImportFrom)
             and _absolute(module, node.level, node.module) in ("cruxmap.run", "cruxmap.run.engine")
             for alias in node.names if alias.name == "Run"}
    found = calls_by_function(module, "Run", bare=False, attribute_of=("run", "engine"))
    for name in names:
        found |= calls_by_function(module, name)
    return found


def test_api_analyze_is_the_one_public_entry_point_that_runs_articles():
    """Outside the run package a ``Run`` is built in one place, ``api._run``, and only ``api.analyze`` reaches it:
    the command line, the web app, the Ray engine, the benchmarks and Python users all start runs through it."""
    built = {f"{module.name}:{where}" for module in modules(SRC) if not module.name.startswith("cruxmap.run")
             for where in runs_built(module)}
    assert built == {"cruxmap.api:_run"}
    api = next(module for module in modules(SRC) if module.name == "cruxmap.api")
    assert calls_by_function(api, "_run") == {"analyze"}

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_scan_finds_each_way_of_reaching_a_private_name(tmp_path):
    """Invented modules: a private name imported from another package, used as an attribute of an imported
    module (relative, absolute, aliased, dotted), is found; the same within a package, a public name, a dunder
    and an object's own private attribute are not."""
    src = _package(tmp_path, {
        "cruxmap/__init__.py": "",
        "cruxmap/tolls/__init__.py": "",
        "cruxmap/tolls/rates.py": "def _peak(): ...\ndef offpeak(): ...\n",
        "cruxmap/tolls/bridge.py": "from .rates import _peak\nfrom . import rates\nrates._peak()\n",
        "cruxmap/ferry/__init__.py": "",
        "cruxmap/ferry/fares.py": (
            "from ..tolls.rates import _peak, offpeak\n"  # line 1: found
            "from ..tolls import rates\n"
            "from ..tolls import rates as r\n"
            "import cruxmap.tolls.rates\n"
            "rates._peak()\n"  # line 5: found
            "r._peak()\n"  # line 6: found
            "cruxmap.tolls.rates._peak()\n"  # line 7: found
            "rates.__name__\n"
            "class Boat:\n"
            "    def __init__(self):\n"
            "        self._deck = 1\n"
            "    def deck(self):\n"
            "        return self._deck\n"
        ),
    })
    found = {m.name: private_uses(m, src) for m in modules(src)}
    assert found["cruxmap.ferry.fares"] == [
        "fares.py:1: from cruxmap.tolls.rates import _peak",
        "fares.py:5: cruxmap.tolls.rates._peak",
        "fares.py:6: cruxmap.tolls.rates._peak",
        "fares.py:7: cruxmap.tolls.rates._peak",
    ]
    assert found["cruxmap.tolls.bridge"] == []


def test_the_scan_reads_what_a_cli_module_imports(tmp_path):
    src = _package(tmp_path, {
        "cruxmap/__init__.py": "",
        "cruxmap/api.py": "",
        "cruxmap/store/__init__.py": "def open_store(): ...\n",
        "cruxmap/cli/__init__.py": "",
        "cruxmap/cli/runs.py": "from .. import api\ndef listing():\n    from ..store import open_store\n",
    })
    cli = next(m for m in modules(src) if m.name == "cruxmap.cli.runs")
    assert imports(cli, src) == [(1, "cruxmap.api"), (3, "cruxmap.store")]
