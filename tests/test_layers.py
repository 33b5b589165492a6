"""The package's architecture, read from its import statements (no module is imported here):
the demo stays out of the pipeline, the ground floor imports nothing above it, no import loops,
no module over 700 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "obec_audit"

#: may import obec_audit.demo: the demo itself, the entry points, the officers' workbook and
#: the supervisors' dashboards (launcher and apps)
DEMO_USERS = ("obec_audit.demo", "obec_audit.cli", "obec_audit.__main__", "obec_audit.workbook",
              "obec_audit.dashboards")
#: lazy imports of the demo kept for callers on other branches; each says why, remove it when
#: its reason is gone
DEMO_TRANSITIONAL = {
    # rounds_root(demo=True): the dashboard apps, running in Voila's kernels without a rounds
    # folder given, fall back on the demo's rounds (the launcher uses demo.rounds itself)
    "obec_audit.dashboard_data.rounds",
}
#: the ground floor: imports nothing of the package
GROUND = ("obec_audit.schema", "obec_audit.thaidate", "obec_audit.privacy")
#: the pipeline (reading, identifiers, checks, reference data, calendar) never reaches up to
#: the round, the outputs or the user interfaces, not even lazily
PIPELINE = ("obec_audit.schema", "obec_audit.thaidate", "obec_audit.privacy", "obec_audit.text",
            "obec_audit.ids", "obec_audit.io", "obec_audit.checks", "obec_audit.thainames",
            "obec_audit.reference", "obec_audit.calendar", "obec_audit.completeness")
ABOVE_PIPELINE = ("obec_audit.round", "obec_audit.reports", "obec_audit.workbook",
                  "obec_audit.dashboards", "obec_audit.dashboard_data", "obec_audit.widgets",
                  "obec_audit.charts", "obec_audit.cli", "obec_audit.ledger", "obec_audit.demo")
#: files allowed over the limit for now (none)
TOO_LONG_FOR_NOW: set[str] = set()
MAX_LINES = 700


def _name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _resolve(module: str, names: list[str]) -> list[str]:
    """The package modules an import statement loads (a name that is a submodule counts)."""
    out = []
    for n in names:
        sub = f"{module}.{n}"
        out.append(sub if sub in MODULES else module)
    return out or [module]


def _imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(imported package module, at module level?) of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, top: bool):
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                   ast.Lambda))
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((a.name, top) for a in child.names if a.name.startswith("obec_audit"))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = pkg.split(".")[: len(pkg.split(".")) - child.level + 1]
                    mod = ".".join(base + ([child.module] if child.module else []))
                else:
                    mod = child.module or ""
                if mod.startswith("obec_audit"):
                    found.extend((m, top) for m in _resolve(mod, [a.name for a in child.names]))
            visit(child, inner)

    visit(tree, True)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_graph_is_read():
    assert ("obec_audit.checks.registry", True) in GRAPH["obec_audit.round"]
    assert len(MODULES) > 40


def test_only_the_demo_entry_points_workbook_and_dashboards_import_the_demo():
    wrong = sorted(
        (name, imp) for name, imps in GRAPH.items() for imp, top in imps
        if _within(imp, ["obec_audit.demo"]) and not _within(name, DEMO_USERS)
        and (top or name not in DEMO_TRANSITIONAL)
    )
    assert not wrong, f"modules that import the demo: {wrong}"


def test_the_ground_floor_imports_nothing_of_the_package():
    wrong = sorted((n, i) for n, imps in GRAPH.items() if n in GROUND for i, _ in imps)
    assert not wrong


def test_the_pipeline_does_not_reach_up():
    wrong = sorted(
        (n, i) for n, imps in GRAPH.items() if _within(n, PIPELINE)
        for i, _ in imps if _within(i, ABOVE_PIPELINE)
    )
    assert not wrong, f"pipeline modules importing from above: {wrong}"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        x = stack.pop()
                        on.discard(x)
                        comp.append(x)
                        if x == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
            elif w not in index:
                index[w] = low[w] = counter[0]
                counter[0] += 1
                stack.append(w)
                on.add(w)
                work.append((w, iter(sorted(edges.get(w, ())))))
            elif w in on:
                low[v] = min(low[v], index[w])
    return out


def test_cycle_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_loops_at_module_level():
    edges = {n: {i for i, top in imps if top and i in MODULES and i != n}
             for n, imps in GRAPH.items()}
    assert _cycles(edges) == []


@pytest.mark.parametrize("rel", sorted(str(p.relative_to(PKG)) for p in PKG.rglob("*.py")))
def test_no_module_over_700_lines(rel):
    if rel in TOO_LONG_FOR_NOW:
        pytest.skip("being split on another branch (issue 15)")
    n = len((PKG / rel).read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{rel}: {n} lines"
