"""The rules of the layout (docs/ARCHITECTURE.md), checked on the source.

- The engine imports no Home Assistant, nothing of the integration outside itself, and imports on
  its own as the top-level package `engine` (as the benchmarks and engine tests use it), also
  where `homeassistant` cannot be imported at all.
- The engine's modules import each other without a cycle.
- The Home Assistant layer uses the engine through its front door, `engine/__init__.py`.
- Engine tests and benchmarks use the top-level `engine`; Home Assistant tests use the
  integration's package (one object must not meet its twin from the other name).
- Test modules have distinct names.
"""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

import pytest

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION = ROOT / "custom_components" / "heat_pump_zoning"
ENGINE = INTEGRATION / "engine"


def module_name(path: Path, base: Path, prefix: str) -> str:
    """The dotted name of a module file under `base` (a package's name for `__init__.py`)."""
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([prefix, *parts])


def imports(path: Path, name: str) -> set[str]:
    """Every module `path` (module `name`) imports, relative imports resolved; the target of
    `from package import name` counts as `package.name` when that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


ENGINE_MODULES = {module_name(p, ENGINE, "engine"): p for p in sorted(ENGINE.rglob("*.py"))}


@pytest.mark.parametrize("name", sorted(ENGINE_MODULES))
def test_the_engine_imports_no_home_assistant(name: str) -> None:
    """Only the standard library and the engine itself."""
    outside = {
        module
        for module in imports(ENGINE_MODULES[name], name)
        if module.split(".")[0] not in sys.stdlib_module_names and module.split(".")[0] != "engine"
    }
    assert not outside, f"{name} imports {sorted(outside)}"


def test_the_engine_imports_on_its_own_without_home_assistant() -> None:
    """In a fresh interpreter where `homeassistant` cannot be imported."""
    code = f"""
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("homeassistant", "custom_components"):
            raise ImportError("refused: " + name)
sys.meta_path.insert(0, Refuse())
sys.path.append({str(INTEGRATION)!r})
import engine
for name in {sorted(ENGINE_MODULES)!r}:
    __import__(name)
assert engine.Controller and engine.Ledger and engine.build_report
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("homeassistant", "custom_components"))
assert not loaded, loaded
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or with a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_engine_has_no_import_cycle() -> None:
    """Module by module, package `__init__` files included."""
    graph = {
        name: {m for m in imports(path, name) if m in ENGINE_MODULES and m != name}
        for name, path in ENGINE_MODULES.items()
    }
    # A module's parent packages are loaded first by Python, not imported by the module.
    assert cycles(graph) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    """The check itself finds a cycle of two modules and one of a module with itself."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert cycles({"a": {"a"}}) == [["a"]]


def test_the_home_assistant_layer_uses_the_engine_front_door() -> None:
    """`from .engine import ...` only, never one of its modules."""
    offenders = {}
    for path in sorted(INTEGRATION.glob("*.py")):
        name = module_name(path, INTEGRATION, "custom_components.heat_pump_zoning")
        deep = {
            m
            for m in imports(path, name)
            if m.startswith("custom_components.heat_pump_zoning.engine.")
            and m.rpartition(".")[0] != "custom_components.heat_pump_zoning.engine"
        }
        if deep:
            offenders[path.name] = sorted(deep)
    assert offenders == {}


@pytest.mark.parametrize(
    ("folder", "banned"),
    [
        ("tests/engine", "custom_components"),
        ("tests/sim", "custom_components"),
        ("benchmarks", "custom_components.heat_pump_zoning.engine"),
        ("tests/ha", "engine"),
        ("tests/scenarios", "engine"),
    ],
)
def test_each_side_uses_one_name_of_the_engine(folder: str, banned: str) -> None:
    """Engine-side code imports `engine`; Home Assistant-side code the integration's package."""
    offenders = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        name = module_name(path, ROOT, "").lstrip(".")
        found = {m for m in imports(path, name) if m == banned or m.startswith(banned + ".")}
        if found:
            offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert offenders == {}


def test_test_modules_have_distinct_names() -> None:
    """No two test modules share a file name, whatever folder they are in."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
