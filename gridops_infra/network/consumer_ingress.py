"""One ingress rule per consumer on a data component's own security group: what
`allow_from` does for Postgres and Redis alike."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.validation import ArgError

CONSUMER_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]{0,62}")


class ConsumerIngress:
    """Admits consumer security groups on one port of `owner.security_group_id`, once per
    consumer: a second call for the same consumer returns the first rule, and the same
    consumer with another group is refused."""

    def __init__(
        self,
        owner: GridopsComponent,
        component: str,
        port: int,
        label: str,
    ) -> None:
        self._owner = owner
        self._component = component
        self._port = port
        self._label = label
        self._rules: dict[str, tuple[aws.vpc.SecurityGroupIngressRule, pulumi.Input[str]]] = {}

    def allow(
        self, consumer_name: Any, security_group_id: pulumi.Input[str]
    ) -> aws.vpc.SecurityGroupIngressRule:
        prefix = f"{self._component} '{self._owner.name}'"
        if not isinstance(consumer_name, str) or not CONSUMER_NAME.fullmatch(consumer_name):
            raise ArgError(
                f"{prefix}: allow_from(consumer_name={consumer_name!r}) needs a "
                "component name (letters, digits, hyphens)"
            )
        known = self._rules.get(consumer_name)
        if known is not None:
            rule, source = known
            plain = isinstance(source, str) and isinstance(security_group_id, str)
            if plain and source != security_group_id:
                raise ArgError(
                    f"{prefix}: allow_from({consumer_name!r}) already admits {source}, "
                    f"not {security_group_id}: one consumer, one group"
                )
            return rule
        rule = self._owner.child(
            "ingress",
            aws.vpc.SecurityGroupIngressRule,
            {
                "security_group_id": self._owner.security_group_id,  # type: ignore[attr-defined]
                "referenced_security_group_id": security_group_id,
                "ip_protocol": "tcp",
                "from_port": self._port,
                "to_port": self._port,
                "description": f"{self._label} from {consumer_name}",
            },
            suffix=f"from-{consumer_name}",
        )
        self._rules[consumer_name] = (rule, security_group_id)
        return rule
