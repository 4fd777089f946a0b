"""Drills from the FIS experiment history: experiments started from ResilienceDrills'
templates (tagged ``gridops:component=ResilienceDrills``) in the window.

``recovery_minutes`` is the time from the experiment's start to its end as FIS records it.
A drill's actions inject the fault and end when it is over (a stopped task, a failover, a
reboot completed, a pause elapsed), and its stop conditions end it early on the SLO
alarms, so the end is when the injected fault stopped; it is not a proof that users saw
recovery then (the MTTR from alarm history beside it measures that). Experiments that
failed or are still running are listed without a recovery time.
"""

from __future__ import annotations

from statistics import fmean
from typing import Any

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured, utc
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window, iso

DRILLS_TAG = ("gridops:component", "ResilienceDrills")
RECOVERED = ("completed", "stopped")


def templates(aws: Aws) -> dict[str, str]:
    """Our experiment templates: id -> name (the Name tag, else the id)."""
    key, value = DRILLS_TAG
    return {
        t["id"]: t.get("tags", {}).get("Name", t["id"])
        for t in aws.pages(
            "fis", "ListExperimentTemplates", "experimentTemplates", token="nextToken"
        )
        if t.get("tags", {}).get(key) == value
    }


def drill_of(experiment: dict[str, Any], template_name: str) -> dict[str, Any]:
    """One drill row from a GetExperiment reply's ``experiment``."""
    state = experiment.get("state", {}).get("status", "unknown")
    started = utc(experiment.get("startTime") or experiment["creationTime"])
    row: dict[str, Any] = {"template": template_name, "started": iso(started), "state": state}
    end = experiment.get("endTime")
    if state in RECOVERED and end is not None:
        row["recovery_minutes"] = round((utc(end) - started).total_seconds() / 60, 2)
    return row


def read(aws: Aws, window: Window, reading: Reading) -> None:
    ours = templates(aws)
    if not ours:
        raise NotMeasured("no FIS experiment templates tagged gridops:component=ResilienceDrills")
    rows = []
    for summary in aws.pages("fis", "ListExperiments", "experiments", token="nextToken"):
        template = summary.get("experimentTemplateId")
        if template not in ours or not window.contains(utc(summary["creationTime"])):
            continue
        experiment = aws.call("fis", "GetExperiment", id=summary["id"])["experiment"]
        rows.append(drill_of(experiment, ours[template]))
    if not rows:
        raise NotMeasured(f"no experiment of the {len(ours)} drill templates ran in the window")
    rows.sort(key=lambda row: row["started"])
    source = (
        "FIS ListExperiments + GetExperiment, templates tagged gridops:component=ResilienceDrills"
    )
    reading.put("drills", rows, source, window)
    recovered = [row["recovery_minutes"] for row in rows if "recovery_minutes" in row]
    if not recovered:
        raise NotMeasured(f"none of the {len(rows)} drills in the window finished")
    reading.put(
        "drill_recovery_minutes",
        round(fmean(recovered), 2),
        source + f"; mean of start -> end over {len(recovered)} finished drills",
        window,
    )
