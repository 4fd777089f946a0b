"""NetworkReference: a Network created by another stack, for stacks split with
`pulumi.StackReference` (a network/platform stack and app stacks that use it)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi

from gridops_infra.core.validation import ArgError, check_name
from gridops_infra.network.args import NAT_STRATEGIES, NatStrategy
from gridops_infra.network.component import (
    MAX_AZ_COUNT,
    Network,
    plan_subnets,
)
from gridops_infra.network.endpoints import GATEWAY_ENDPOINTS, expand_endpoints

OUTPUT_KEYS = ("vpc_id", "public_subnet_ids", "private_subnet_ids")


@dataclass(frozen=True)
class SubnetReference:
    """What components read of a subnet: its id, block and zone."""

    id: pulumi.Output[str]
    cidr_block: str
    availability_zone: str


class NetworkReference(Network):
    """Stands in for a `Network` wherever a component takes `network`, without creating
    anything: ids come from the other stack's outputs, the subnet blocks are the ones
    `Network` lays out for the same `cidr_block` and zones.

    The other stack exports `vpc_id`, `public_subnet_ids` and `private_subnet_ids`
    (as the `network` stage and examples/stack-references/platform do). Zones and the
    block are plain values in this stack's config: a component needs them while the
    program runs, before any output resolves. So are `nat` and `vpc_endpoints`, as the other
    stack set them: they decide what its private subnets reach (with `nat="none"`, Fargate
    services need the endpoints and an ECR image, and EksCluster is refused). They default
    to `Network`'s defaults (`"per-az"`, no interface endpoints).

    Example:
        ```python
        ref = pulumi.StackReference("acme/platform/prod")
        net = NetworkReference.from_stack(ref, availability_zones=["us-east-1a", "us-east-1b"])
        ```
    """

    def __init__(
        self,
        name: str,
        *,
        vpc_id: pulumi.Input[str],
        public_subnet_ids: pulumi.Input[list[str]],
        private_subnet_ids: pulumi.Input[list[str]],
        availability_zones: list[str],
        cidr_block: str = "10.0.0.0/16",
        nat: NatStrategy = "per-az",
        vpc_endpoints: list[str] | None = None,
    ) -> None:
        # Deliberately not Network.__init__: this registers no resource.
        check_name("NetworkReference", name)
        if not availability_zones or len(availability_zones) > MAX_AZ_COUNT:
            raise ArgError(
                f"NetworkReference '{name}': availability_zones={availability_zones!r} is not "
                f"allowed; expected 1..{MAX_AZ_COUNT} zone names, as the other stack used them"
            )
        try:
            block = ipaddress.IPv4Network(cidr_block)
            layout = plan_subnets(block, len(availability_zones))
        except ValueError as exc:
            raise ArgError(
                f"NetworkReference '{name}': cidr_block={cidr_block!r} is not allowed; {exc}"
            ) from None
        if nat not in NAT_STRATEGIES:
            raise ArgError(
                f"NetworkReference '{name}': nat={nat!r} is not allowed; expected one of "
                f"{', '.join(NAT_STRATEGIES)}, as the other stack's Network sets it"
            )
        endpoints = expand_endpoints(
            list(vpc_endpoints or []),
            lambda value, allowed: ArgError(
                f"NetworkReference '{name}': vpc_endpoints={value!r} is not allowed; {allowed}"
            ),
        )
        self._name = name
        self.nat = nat
        self.vpc_endpoint_services = GATEWAY_ENDPOINTS | frozenset(endpoints)
        self.interface_endpoints = {}
        self.availability_zones = list(availability_zones)
        self.az_count = len(availability_zones)
        self.cidr_block = str(block)
        self.layout = layout
        self.vpc_id = pulumi.Output.from_input(vpc_id)
        self.public_subnet_ids = pulumi.Output.from_input(public_subnet_ids)
        self.private_subnet_ids = pulumi.Output.from_input(private_subnet_ids)

        def pick(kind: str, ids: list[str], i: int) -> str:
            if len(ids) != self.az_count:
                raise ArgError(
                    f"NetworkReference '{name}': availability_zones={self.availability_zones!r} "
                    f"is not allowed; the referenced network has {len(ids)} {kind} subnets, "
                    "so give its zones, in its order"
                )
            return ids[i]

        self.public_subnets = [  # type: ignore[assignment]
            SubnetReference(
                self.public_subnet_ids.apply(lambda ids, i=i: pick("public", ids, i)),
                str(layout.public[i]),
                zone,
            )
            for i, zone in enumerate(self.availability_zones)
        ]
        self.private_subnets = [  # type: ignore[assignment]
            SubnetReference(
                self.private_subnet_ids.apply(lambda ids, i=i: pick("private", ids, i)),
                str(layout.private[i]),
                zone,
            )
            for i, zone in enumerate(self.availability_zones)
        ]
        self.tags = {}

    @classmethod
    def from_stack(
        cls,
        reference: pulumi.StackReference,
        *,
        availability_zones: list[str],
        cidr_block: str = "10.0.0.0/16",
        name: str = "shared",
        nat: NatStrategy = "per-az",
        vpc_endpoints: list[str] | None = None,
    ) -> NetworkReference:
        return cls(
            name,
            vpc_id=reference.require_output("vpc_id"),
            public_subnet_ids=reference.require_output("public_subnet_ids"),
            private_subnet_ids=reference.require_output("private_subnet_ids"),
            availability_zones=availability_zones,
            cidr_block=cidr_block,
            nat=nat,
            vpc_endpoints=vpc_endpoints,
        )
