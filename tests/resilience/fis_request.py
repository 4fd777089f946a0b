"""Turn an `aws.fis.ExperimentTemplate` record of the Plan into the CreateExperimentTemplate
request the provider sends, and check it against botocore's FIS service model."""

from __future__ import annotations

import re
from typing import Any

import botocore.session
from botocore.validate import ParamValidator

from gridops_infra.testing import reveal

# The model's pattern for target parameter values is ^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$
# (letters, separators, digits and _.:/=+-@); Python's \w and \s cover the same classes.
PARAMETER_VALUE = re.compile(r"[\w\s.:/=+\-@]{1,1024}")
KEY = re.compile(r"\S{1,64}")


def create_request(inputs: dict[str, Any]) -> dict[str, Any]:
    i = reveal(inputs)
    request: dict[str, Any] = {
        "clientToken": "preview",
        "description": i["description"],
        "roleArn": i["roleArn"],
        "stopConditions": i["stopConditions"],
        "targets": {
            t["name"]: {k: v for k, v in t.items() if k != "name"} for t in i.get("targets", [])
        },
        "actions": {
            a["name"]: {
                "actionId": a["actionId"],
                "parameters": {p["key"]: p["value"] for p in a.get("parameters", [])},
                "targets": {a["target"]["key"]: a["target"]["value"]},
            }
            for a in i["actions"]
        },
        "tags": i.get("tags", {}),
    }
    if "experimentOptions" in i:
        request["experimentOptions"] = i["experimentOptions"]
    if "logConfiguration" in i:
        log = i["logConfiguration"]
        request["logConfiguration"] = {
            "logSchemaVersion": int(log["logSchemaVersion"]),
            "cloudWatchLogsConfiguration": log["cloudwatchLogsConfiguration"],
        }
    return request


def request_errors(request: dict[str, Any]) -> list[str]:
    """botocore's report, plus the length and pattern limits botocore does not enforce."""
    model = botocore.session.get_session().get_service_model("fis")
    shape = model.operation_model("CreateExperimentTemplate").input_shape
    report = ParamValidator().validate(request, shape)
    errors = [report.generate_report()] if report.has_errors() else []
    if len(request["description"]) > 512:
        errors.append("description longer than 512")
    names = [*request["targets"], *request["actions"]]
    for target in request["targets"].values():
        names += list(target.get("parameters", {}))
        for value in target.get("parameters", {}).values():
            if not PARAMETER_VALUE.fullmatch(value):
                errors.append(f"target parameter value {value!r} breaks the model's pattern")
    for action in request["actions"].values():
        names += [*action["parameters"], *action["targets"]]
    errors += [f"key {n!r} breaks \\S{{1,64}}" for n in names if not KEY.fullmatch(n)]
    return errors
