"""The sidecars links ask for (`LinkGrant.sidecars`) as containers of the service's spec,
and the `LinkConsumer` a link's `attach` callbacks receive."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pulumi

from gridops_infra.core import iam
from gridops_infra.core.links import LinkConsumer, LinkGrant
from gridops_infra.service.backend import slo_alarm_name
from gridops_infra.service.spec.parts import Sidecar
from gridops_infra.service.spec.settings import ServiceSpec


def with_link_sidecars(spec: ServiceSpec, grant: LinkGrant) -> ServiceSpec:
    """`spec` plus one container per link sidecar, started before the app; the spec itself
    when no link asks for one."""
    if not grant.sidecars:
        return spec
    containers = tuple(
        Sidecar(
            name=s.name,
            image=s.image,
            cpu=0,
            memory=None,
            essential=s.essential,
            port=s.port,
            environment=MappingProxyType(dict(s.environment)),
            secrets=MappingProxyType({}),
            command=(),
            health_check_command=(),
            app_waits_for="start",
            read_only_root_filesystem=True,
            writable_paths=("/tmp",),
            user=s.user,
        )
        for s in grant.sidecars
    )
    return dataclasses.replace(spec, containers=(*spec.containers, *containers))


def alarm_arn(name: str) -> str:
    """The ARN of a CloudWatch alarm of this account and region, by name."""
    return f"arn:aws:cloudwatch:{iam.region_name()}:{iam.account_id()}:alarm:{name}"


def attach_links(
    spec: ServiceSpec,
    grant: LinkGrant,
    role: pulumi.Resource,
    role_name: pulumi.Input[str],
    alarm_arns: list[pulumi.Input[str]],
) -> list[pulumi.Resource]:
    """Call every link's `attach` with the workload's role and health alarms (plus its SLO
    composite alarm when `slo_rollback` is on); the resources the workload starts after."""
    if not grant.attach:
        return []
    alarms = [*alarm_arns, *([alarm_arn(slo_alarm_name(spec.name))] if spec.slo_rollback else [])]
    consumer = LinkConsumer(name=spec.name, role=role, role_name=role_name, alarm_arns=alarms)
    return [resource for attach in grant.attach for resource in attach(consumer)]


__all__ = ["alarm_arn", "attach_links", "with_link_sidecars"]
