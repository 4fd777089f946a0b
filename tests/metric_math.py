"""Evaluate the small subset of CloudWatch metric math our alarms use (FILL, MAX over an
array, IF, arithmetic and comparisons) for one datapoint, so tests can ask what an alarm
would read for given metric values, not only how its expression is spelt."""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from typing import Any


def _fill(value: float | None, default: float) -> float:
    return default if value is None else value


def _max(values: Sequence[float]) -> float:
    return max(values)


def _if(condition: Any, then: float, otherwise: float) -> float:
    return then if condition else otherwise


def _div(a: float, b: float) -> float:
    # CloudWatch gives no datapoint for x / 0 rather than failing; IF then picks a branch.
    return math.nan if b == 0 else a / b


class _SafeDivision(ast.NodeTransformer):
    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Div):
            call = ast.Call(ast.Name("DIV", ast.Load()), [node.left, node.right], [])
            return ast.copy_location(call, node)
        return node


def evaluate(queries: Sequence[Mapping[str, Any]], values: Mapping[str, float | None]) -> float:
    """The value of the query with returnData (or return_data) true, given one datapoint
    for each metric query id in `values` (None: no datapoint, as CloudWatch leaves it)."""
    known: dict[str, Any] = {"FILL": _fill, "MAX": _max, "IF": _if, "DIV": _div}
    for query in queries:
        if "metric" in query:
            known[query["id"]] = values.get(query["id"])
    pending = [q for q in queries if "expression" in q]
    while pending:  # expressions may name each other in any order
        progressed = False
        for query in list(pending):
            tree = ast.parse(query["expression"], mode="eval")
            names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            tree = ast.fix_missing_locations(_SafeDivision().visit(tree))
            if names <= known.keys():
                known[query["id"]] = eval(compile(tree, "<metric math>", "eval"), {}, known)
                pending.remove(query)
                progressed = True
        if not progressed:
            raise ValueError(f"unresolvable expressions: {[q['id'] for q in pending]}")
    (result,) = [
        q["id"] for q in queries if q.get("returnData", q.get("return_data", False)) is True
    ]
    return float(known[result])
