"""A test that cannot fail is a defect (issue 23): no ``assert`` in the suite has a shape that holds whatever the
code does. Read from the source with ``ast``; only shapes that are true by construction are refused, so a hit is
always a real defect:

- a truthy constant (``assert True``, ``assert "message"``), or an ``or`` with one among its operands;
- ``a or not a`` (in either order);
- an expression compared with itself by ``==``, ``is``, ``<=`` or ``>=``, unless it calls something (calling twice
  and comparing is how a test checks that a result is deterministic);
- ``len(x) >= 0`` and ``isinstance(x, object)``.

The two the review named were vacuous by meaning, not by shape (a version string that never ended the way the
assertion denied; an ``or`` whose second half always held), which no scan of shapes can see: they were fixed by
hand, and this guards against the shapes that need no reading to find.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _truthy_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _same(a: ast.expr, b: ast.expr) -> bool:
    return ast.dump(a) == ast.dump(b)


def _calls(node: ast.expr) -> bool:
    return any(isinstance(inner, ast.Call) for inner in ast.walk(node))


def why_it_cannot_fail(test: ast.expr) -> str | None:
    """Why an ``assert`` with this test holds whatever the code does, or None."""
    if _truthy_constant(test):
        return "a truthy constant"
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        if any(_truthy_constant(value) for value in test.values):
            return "an 'or' with a truthy constant"
        negated = [v.operand for v in test.values if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.Not)]
        if any(_same(n, v) for n in negated for v in test.values):
            return "'a or not a'"
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.Eq | ast.Is | ast.LtE | ast.GtE) and _same(left, right) and not _calls(left):
            return "an expression compared with itself"
        if (isinstance(op, ast.GtE) and isinstance(left, ast.Call) and isinstance(left.func, ast.Name)
                and left.func.id == "len" and isinstance(right, ast.Constant) and right.value == 0):
            return "'len(x) >= 0'"
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and len(test.args) == 2 and isinstance(test.args[1], ast.Name) and test.args[1].id == "object"):
        return "'isinstance(x, object)'"
    return None


def vacuous_asserts(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            why = why_it_cannot_fail(node.test)
            if why:
                found.append(f"{name}:{node.lineno}: {why}: assert {ast.unparse(node.test)[:80]}")
    return found


def test_no_assertion_in_the_suite_holds_whatever_the_code_does():
    found = [hit for path in sorted(TESTS.rglob("*.py"))
             for hit in vacuous_asserts(path.read_text(encoding="utf-8"), path.name)]
    assert found == []


@pytest.mark.parametrize("line", [
    "assert True", "assert 'the map is written'", "assert result.ok or True", "assert done or not done",
    "assert not done or done", "assert total == total", "assert m.run is m.run", "assert len(rows) >= 0",
    "assert isinstance(rows, object)", "assert rows or 'no rows'",
])
def test_the_scan_finds_each_shape(line):
    assert vacuous_asserts(line, "t.py"), line


@pytest.mark.parametrize("line", [
    "assert result.ok", "assert a == b", "assert render(m) == render(m)", "assert len(rows) >= 1",
    "assert done or failed", "assert isinstance(rows, list)",
])
def test_the_scan_leaves_assertions_that_can_fail(line):
    assert vacuous_asserts(line, "t.py") == []
