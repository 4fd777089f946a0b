"""AWS IAM: name, size and count limits of roles, policies and OIDC providers."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS IAM"
QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"

ROLE_NAME_LENGTH = aws_rule(
    id="iam-role-name-length",
    service=SERVICE,
    rule="A role name has at most 64 characters; Pulumi adds 8 to a generated name "
    "(`<logical name>-<7 random>`), and the provider 26 to a name_prefix (so at most 38).",
    source=QUOTAS + "#reference_iam-quotas-entity-length",
    fix="Leave the role's name unset (components derive a name_prefix that fits from a long "
    "name), or give a name or name_prefix that fits.",
)

MAX_SESSION_DURATION = aws_rule(
    id="iam-max-session-duration",
    service=SERVICE,
    rule="A role's maximum session duration is 3600 to 43200 seconds (1 to 12 hours).",
    source="https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    fix="Set the maximum session duration from 3600 to 43200 seconds; shorter sessions are "
    "asked for at assume time (DurationSeconds, from 900).",
)

MANAGED_POLICY_SIZE = aws_rule(
    id="iam-managed-policy-size",
    service=SERVICE,
    rule="A managed policy document has at most 6,144 characters, white space not counted.",
    source=QUOTAS + "#reference_iam-quotas-entity-length",
    fix="Split the statements over several managed policies, or merge actions and resources.",
)

ROLE_INLINE_POLICIES_SIZE = aws_rule(
    id="iam-role-inline-policies-size",
    service=SERVICE,
    rule="All inline policies of one role together have at most 10,240 characters, white "
    "space not counted.",
    source=QUOTAS + "#reference_iam-quotas-entity-length",
    fix="Move statements into a managed policy attached to the role, or merge statements.",
)

TRUST_POLICY_SIZE = aws_rule(
    id="iam-trust-policy-size",
    service=SERVICE,
    rule="A role's trust policy has at most 2,048 characters by default (up to 4,096 with a "
    "raised quota), white space not counted.",
    source=QUOTAS + "#reference_iam-quotas-entity-length",
    fix="Trust fewer principals per role, or raise the quota and the policy setting `maximum`.",
)

MANAGED_POLICIES_PER_ROLE = aws_rule(
    id="iam-managed-policies-per-role",
    service=SERVICE,
    rule="A role has at most 10 managed policies attached by default (up to 20 with a raised "
    "quota).",
    source=QUOTAS + "#reference_iam-quotas-entities",
    fix="Combine managed policies into fewer, or raise the quota and the policy setting `maximum`.",
)

POLICY_SID_CHARACTERS = aws_rule(
    id="iam-policy-sid-characters",
    service=SERVICE,
    rule="A statement id (Sid) in an IAM policy holds only ASCII letters and digits.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    fix="Drop hyphens, underscores and spaces from the Sid, e.g. 'ReadQueue' for 'read-queue'.",
)

OIDC_PROVIDER_UNIQUE = aws_rule(
    id="iam-oidc-provider-unique",
    service=SERVICE,
    rule="An account registers one IAM OIDC provider per issuer URL; a second one for the "
    "same URL is refused.",
    source="https://docs.aws.amazon.com/IAM/latest/APIReference/"
    "API_CreateOpenIDConnectProvider.html",
    fix="Create the provider once and pass its ARN to the others (GithubDeployRole "
    "`oidc_provider_arn`).",
)

CREATE_OIDC_PROVIDER = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html"
)

OIDC_PROVIDER_URL = aws_rule(
    id="iam-oidc-provider-url",
    service=SERVICE,
    rule="An OIDC provider's URL begins with https:// and has no query parameters; AWS asks "
    "for no port number (a path is allowed). It matches the tokens' `iss` claim.",
    source=CREATE_OIDC_PROVIDER,
    fix="Give the issuer as https://host or https://host/path, e.g. 'https://gitlab.example.com'.",
)

OIDC_CLIENT_IDS = aws_rule(
    id="iam-oidc-client-ids",
    service=SERVICE,
    rule="An OIDC provider registers at most 100 client IDs (audiences), each 1 to 255 "
    "characters long.",
    source=CREATE_OIDC_PROVIDER,
    fix="Use one audience per provider (the value your pipeline puts in the token's `aud`), "
    "at most 255 characters.",
)

OIDC_THUMBPRINTS = aws_rule(
    id="iam-oidc-thumbprints",
    service=SERVICE,
    rule="An OIDC provider has at most five thumbprints, each the 40-character hex SHA-1 of the "
    "issuer's certificate.",
    source=CREATE_OIDC_PROVIDER,
    fix="Give at most five 40-character hex thumbprints, or none and let IAM fetch the "
    "issuer's certificate.",
)

MAX_ROLE_NAME = 64
