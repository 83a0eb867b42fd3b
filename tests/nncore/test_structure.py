"""nncore's modules import one another one way: the import graph has no cycle."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

NNCORE = Path(__file__).resolve().parents[2] / "nncore"


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in NNCORE.glob("*.py"):
        module = f"nncore.{path.stem}"
        found = graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nncore."):
                found.add(node.module)  # type: ignore[arg-type]
    graph.pop("nncore.__init__")
    return graph


def test_nncore_has_no_import_cycle_even_inside_functions() -> None:
    try:
        order = list(TopologicalSorter(_graph()).static_order())
    except CycleError as cycle:
        raise AssertionError(f"import cycle: {cycle.args[1]}") from None
    assert order.index("nncore.training") < order.index("nncore.network")
    assert order.index("nncore.serialization") < order.index("nncore.network")


def test_the_check_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"a"}}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError:
        return
    raise AssertionError("a cycle went unnoticed")
