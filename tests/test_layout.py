"""The shape of the code: one installed package, an engine with no user-interface imports,
no import cycles, and a user interface that uses only the engine's public API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("index", "tui")
UI_LIBRARIES = ("textual", "rich", "click")


def modules() -> dict[str, Path]:
    """newsreader.<part>.<...> → file, for every module of the engine and the UI."""
    out = {}
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            names = list(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
            out[".".join(["newsreader", *names])] = path
    return out


def imports(name: str, path: Path) -> set[str]:
    """The modules `name` imports (absolute names), at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: {m for m in imports(name, path) if m in mods} for name, path in mods.items()}


def test_the_engine_never_imports_the_user_interface() -> None:
    for name, path in modules().items():
        if name.startswith("newsreader.index"):
            bad = {
                m
                for m in imports(name, path)
                if m.startswith("newsreader.tui") or m.split(".")[0] in UI_LIBRARIES
            }
            assert not bad, f"{name} imports {sorted(bad)}"


def test_the_user_interface_uses_only_the_public_api() -> None:
    for name, path in modules().items():
        if name.startswith("newsreader.tui"):
            private = {
                m
                for m in imports(name, path)
                if m.startswith("newsreader.index.") and m.rpartition(".")[0] != "newsreader.index"
            }
            assert not private, f"{name} imports engine internals {sorted(private)}"


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    # A package's __init__ re-exporting its modules is not a cycle of substance; what
    # counts is module to module.
    edges = {m: {t for t in targets if not _is_package_of(t, m)} for m, targets in graph.items()}
    cycles = _cycles(edges)
    assert not cycles, f"import cycles: {cycles}"


def _is_package_of(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_every_engine_subpackage_says_what_it_is_for() -> None:
    for init in (ROOT / "index").rglob("__init__.py"):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init.relative_to(ROOT)} has no docstring"


def test_one_top_level_package_is_installed() -> None:
    from importlib.metadata import distribution

    top_level = distribution("newsreader").read_text("top_level.txt") or ""
    assert top_level.split() == ["newsreader"]
