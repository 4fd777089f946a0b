"""Amazon ElastiCache: what CreateReplicationGroup refuses for the Valkey / Redis OSS caches
RedisCache builds."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon ElastiCache"
CREATE_REPLICATION_GROUP = (
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_CreateReplicationGroup.html"
)

REPLICATION_GROUP_ID = aws_rule(
    id="elasticache-replication-group-id",
    service=SERVICE,
    rule="A replication group id has 1 to 40 letters, digits or hyphens, starts with a letter, "
    "and neither ends with a hyphen nor contains two consecutive hyphens.",
    source=CREATE_REPLICATION_GROUP,
    fix="Pass an identifier such as 'shop-cache-prod' (lowercase, at most 40 characters).",
)

REPLICAS_PER_SHARD = aws_rule(
    id="elasticache-replicas-per-shard",
    service=SERVICE,
    rule="A shard (node group) has one primary and 0 to 5 read replicas (NumCacheClusters at "
    "most 6).",
    source=CREATE_REPLICATION_GROUP,
    fix="Set replicas to 0..5; for more read capacity add shards (cluster mode) instead.",
)

FAILOVER_NEEDS_REPLICA = aws_rule(
    id="elasticache-failover-needs-replica",
    service=SERVICE,
    rule="With AutomaticFailoverEnabled (and so Multi-AZ) a cluster-mode-disabled replication "
    "group needs NumCacheClusters of at least 2: a primary and a replica.",
    source=CREATE_REPLICATION_GROUP,
    fix="Give the cache replicas >= 1, or turn multi_az (automatic failover) off.",
)

AUTH_TOKEN_NEEDS_TLS = aws_rule(
    id="elasticache-auth-token-needs-tls",
    service=SERVICE,
    rule="An AuthToken can be set only on a replication group with TransitEncryptionEnabled.",
    source=CREATE_REPLICATION_GROUP,
    fix="Set transit_encryption_enabled=True with the auth_token (RedisCache always does).",
)

NODE_TYPE = aws_rule(
    id="elasticache-node-type",
    service=SERVICE,
    rule="The node type must be one ElastiCache offers for Valkey / Redis OSS (current "
    "generation; burstable families only in their small sizes).",
    source="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html",
    fix="Pick a node type such as cache.t4g.small or cache.r7g.large.",
)

AUTH_TOKEN_FORMAT = aws_rule(
    id="elasticache-auth-token-format",
    service=SERVICE,
    rule="An AUTH token is 16 to 128 printable ASCII characters whose only special characters "
    "are ! & # $ ^ < > and -.",
    source=CREATE_REPLICATION_GROUP,
    fix="Generate the token with random.RandomPassword(length=16..128, special=False) or "
    "override_special='!&#$^<>-' (RedisCache generates 64 letters and digits).",
)
