"""The image a stage deploys: `gridops:<role>_image`, or pinned to a digest.

Promotion moves the digest staging ran to production, never a tag (a tag can be moved to
other bytes after the tests passed). With `gridops:<role>_image_digest` (`sha256:` and 64
hex digits) the stage deploys `<repository>@<digest>`, the repository being
`gridops:<role>_image`'s without its tag; both stacks given the same digest run the same
bytes whatever tag each file names.
"""

from __future__ import annotations

import re

from .config import StageConfig, StageConfigError

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def repository_of(image: str) -> str:
    """`ghcr.io/acme/api:1.4.2` -> `ghcr.io/acme/api` (a registry port is not a tag)."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: name.rindex(":")]
    return name


def image_reference(cfg: StageConfig, role: str) -> str:
    """What the `role` (`api`, `worker`) container runs."""
    image_key, digest_key = f"{role}_image", f"{role}_image_digest"
    image = cfg.require_str(image_key)
    digest = cfg.optional_str(digest_key)
    if digest is None:
        return image
    if not DIGEST.fullmatch(digest):
        raise StageConfigError(
            f"config gridops:{digest_key}={digest!r}: expected sha256: and 64 lowercase hex "
            "digits, as `docker buildx imagetools inspect` or the registry prints it"
        )
    _, pinned, own = image.partition("@")
    if pinned and own != digest:
        raise StageConfigError(
            f"config gridops:{image_key}={image!r} pins another digest than "
            f"gridops:{digest_key}; give the repository with a tag or without one"
        )
    return f"{repository_of(image)}@{digest}"
