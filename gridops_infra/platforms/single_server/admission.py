"""Which containers one SingleServer host can run: valid compose values, a name not yet
taken, only the hosts its proxy serves, and no more memory than the host has left."""

from __future__ import annotations

from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.single_server.compose import ContainerSpec, check_container

SERVER_CONTAINERS = ("proxy", "postgres")


class ContainerAdmission:
    """The containers admitted to one host so far and the memory reserved for them (and
    for the OS, the proxy and the database, `reserved_mib` at the start)."""

    def __init__(
        self,
        server_name: str,
        *,
        instance_type: str,
        memory_mib: int,
        reserved_mib: int,
        domain: str | None,
        ip_certificate: bool = False,
    ) -> None:
        self._where = f"SingleServer '{server_name}'"
        self._instance_type = instance_type
        self._memory_mib = memory_mib
        self._reserved_mib = reserved_mib
        self._domain = domain
        self._ip_certificate = ip_certificate
        self._containers: dict[str, ContainerSpec] = {}

    @property
    def left_mib(self) -> int:
        return self._memory_mib - self._reserved_mib

    def admit(self, spec: ContainerSpec) -> None:
        """Refuse `spec` with an ArgError, or reserve its name and memory; admitting the
        same spec object again is a no-op."""
        if self._containers.get(spec.name) is spec:
            return
        where = self._where
        problem = check_container(spec)
        if problem:
            raise ArgError(f"{where}: container {spec.name!r}: {problem}")
        if spec.name in self._containers or spec.name in SERVER_CONTAINERS:
            raise ArgError(f"{where}: a container named {spec.name!r} already runs here")
        if self._domain:
            foreign = sorted({h for r in spec.routes for h in r.hosts} - {self._domain})
            if foreign:
                raise ArgError(
                    f"{where}: container {spec.name!r} routes hosts {foreign}, but the proxy "
                    f"serves only the server's domain {self._domain!r}"
                )
        hosts = sorted({h for r in spec.routes for h in r.hosts})
        if self._ip_certificate and hosts:
            raise ArgError(
                f"{where}: container {spec.name!r} routes hosts {hosts}, but the proxy "
                "serves only the server's Elastic IP (ip_certificate): give the server a "
                "domain, or set ip_certificate=False to serve any host over plain HTTP"
            )
        wanted = (spec.memory_mb or 0) * spec.replicas
        left = self.left_mib
        if wanted > left:
            raise ArgError(
                f"{where}: container {spec.name!r} asks for {wanted} MiB "
                f"({spec.replicas} x {spec.memory_mb} MiB) but {self._instance_type} has "
                f"{left} MiB left after the OS, the proxy, the database and the other "
                "containers; choose a bigger instance_type or smaller limits"
            )
        self._reserved_mib += wanted
        self._containers[spec.name] = spec


__all__ = ["SERVER_CONTAINERS", "ContainerAdmission"]
