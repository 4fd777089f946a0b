"""Random secrets a component generates for itself (database passwords, AUTH tokens, the
origin header CloudFront sends): letters and digits only, so they are literals wherever
they land (a connection URL, an ALB header condition, a proxy's matcher)."""

from __future__ import annotations

import pulumi_random as random

from gridops_infra.core.component import GridopsComponent


def random_password(
    owner: GridopsComponent,
    role: str,
    length: int,
    *,
    suffix: str | None = None,
    mixed: bool = True,
) -> random.RandomPassword:
    """`owner`'s child `role`: `length` letters and digits, with at least four digits and
    four capitals when `mixed` (what RDS, ElastiCache and PostgreSQL users are given)."""
    args: dict[str, object] = {"length": length, "special": False}
    if mixed:
        args.update(min_numeric=4, min_upper=4)
    return owner.child(role, random.RandomPassword, args, suffix=suffix, tag=False)


__all__ = ["random_password"]
