"""RedisCache: an encrypted ElastiCache Redis replication group with auth and alarms.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.data.redis.component import RedisCache, RedisCacheArgs

_EXPORTS = {
    "RedisCache": "gridops_infra.data.redis.component",
    "RedisCacheArgs": "gridops_infra.data.redis.component",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "RedisCache",
    "RedisCacheArgs",
]
