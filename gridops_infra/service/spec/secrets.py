"""`secrets`: environment name -> a reference to a secret (a Secrets Manager secret ARN,
optionally with `:json-key:stage:version`, or an SSM parameter ARN), never the value.

Every platform writes what it finds here into AWS as it is: the ECS task definition's
`valueFrom`, an ExternalSecret's `remoteRef.key` on EKS, the compose fragment a single
server reads from an SSM String parameter. So a value that is not a reference must never
get through, and no error about one may print it.

A Pulumi Output here (e.g. `aws.secretsmanager.Secret(...).arn`) is taken as a reference
and checked when it resolves: anything but a Secrets Manager or SSM ARN is refused,
whether or not the Output is a Pulumi secret. Refused rather than stored in a Secrets
Manager secret the component would create because the field cannot tell a value from a
reference before the Output resolves (a secret config value may be an ARN, a plain Output
may be a password), and a component that created resources depending on what an Output
turns out to hold would preview one set and deploy another. Keeping `secrets` for
references only gives it one meaning; storing a value is one `aws.secretsmanager.Secret`
plus `SecretVersion` in the program, whose `.arn` then goes here.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pulumi

from gridops_infra.core.validation import ArgError, ArgReader
from gridops_infra.service.spec.checks import ENV_NAME, secret_arn_error

NOT_A_REFERENCE = (
    "expected a Secrets Manager secret ARN (optionally with :json-key:version-stage:"
    "version-id) or an SSM parameter ARN; a secret's value never goes in `secrets`: store it "
    "in Secrets Manager (aws.secretsmanager.Secret and a SecretVersion whose secret_string "
    "is a Pulumi secret) and pass the secret's ARN"
)


def read_secrets(a: ArgReader, field: str) -> dict[str, pulumi.Input[str]]:
    """The references by environment name, sorted. Errors name the field and the entry,
    never its value (a user may have put the secret itself here)."""
    secrets = a.mapping(field, secret=True)
    out: dict[str, pulumi.Input[str]] = {}
    for key, value in secrets.items():
        if not isinstance(key, str) or not re.fullmatch(ENV_NAME, key):
            # A key that is no variable name may be a value pasted in the wrong place.
            raise a.fail(field, None, "names must match [A-Za-z_][A-Za-z0-9_]*", secret=True)
        if isinstance(value, pulumi.Output):
            out[key] = checked_reference(a, field, key, value)
            continue
        if reference_error(value) is not None:
            raise a.fail(f"{field}[{key!r}]", value, NOT_A_REFERENCE, secret=True)
        out[key] = value
    return dict(sorted(out.items()))


def reference_error(value: Any) -> str | None:
    """Why a resolved `secrets` entry is not a reference, or None."""
    if isinstance(value, str) and secret_arn_error(value) is None:
        return None
    return NOT_A_REFERENCE


def checked_reference(
    a: ArgReader, field: str, key: str, value: pulumi.Output[Any]
) -> pulumi.Output[Any]:
    """`value`, failing once it resolves unless it is a Secrets Manager or SSM ARN. The
    check runs before any resource sees the value, so a refused one reaches no input, and
    the error names the entry with its value hidden. Unknown in a preview, it passes (the
    deploy runs the check on the real value)."""
    message = str(a.fail(f"{field}[{key!r}]", value, NOT_A_REFERENCE, secret=True))

    async def checked() -> Any:
        resolved = await value.future(with_unknowns=True)
        known = await value.is_known()
        if known and reference_error(resolved) is not None:
            raise ArgError(message)
        return resolved

    # Tasks, not bare coroutines: when the check fails the Output never awaits the rest.
    return pulumi.Output(
        asyncio.ensure_future(value.resources()),
        asyncio.ensure_future(checked()),
        asyncio.ensure_future(value.is_known()),
        asyncio.ensure_future(value.is_secret()),
    )


__all__ = ["NOT_A_REFERENCE", "checked_reference", "read_secrets", "reference_error"]
