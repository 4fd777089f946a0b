"""The shipped read-only policy allows exactly the AWS calls the readers make (derived from
the package's code, every call site naming its service and operation as literals) and
passes parliament; `gridops baseline --print-policy` prints it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from typer.testing import CliRunner

import gridops_infra.analysis.baseline as package
from gridops_infra.analysis.baseline.aws import iam_action
from gridops_infra.analysis.baseline.policy import actions, policy, policy_text
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all
from gridops_infra.testing.validators import iam_findings

if not app.registered_commands:
    register_all(app)

CALLING = ("call", "pages")


def calls_in_code() -> set[str]:
    found: set[str] = set()
    for path in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in CALLING or not isinstance(node.func.value, ast.Name):
                continue
            if node.func.value.id != "aws":
                continue
            service, operation = node.args[:2]
            assert isinstance(service, ast.Constant) and isinstance(operation, ast.Constant), (
                f"{path.name}:{node.lineno}: name the service and operation as literals"
            )
            names = (service.value, operation.value)
            assert all(isinstance(name, str) for name in names), f"{path.name}:{node.lineno}"
            found.add(iam_action(str(names[0]), str(names[1])))
    return found


def test_the_policy_allows_exactly_the_calls_in_the_code() -> None:
    in_code = calls_in_code()
    assert len(in_code) >= 15
    assert sorted(actions()) == sorted(in_code)
    assert len(actions()) == len(set(actions()))


def test_the_policy_only_reads_and_passes_parliament() -> None:
    assert iam_findings(policy()) == []
    verbs = {action.split(":", 1)[1].split("Cost")[0] for action in actions()}
    assert all(verb.startswith(("Describe", "List", "Get")) for verb in verbs)
    assert all(statement["Effect"] == "Allow" for statement in policy()["Statement"])


def test_print_policy_prints_it() -> None:
    result = CliRunner().invoke(app, ["baseline", "--print-policy"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(policy_text())
