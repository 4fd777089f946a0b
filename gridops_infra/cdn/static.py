"""The static-site origin of CdnFrontend: a private S3 bucket that only this distribution
may read (Origin Access Control + a bucket policy on AWS:SourceArn), and the upload of a
local directory with correct content types."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.buckets import private_bucket_settings
from gridops_infra.core.component import GridopsComponent

ROLES = (
    "static_bucket",
    "static_public_access_block",
    "static_ownership",
    "static_encryption",
    "static_versioning",
    "static_lifecycle",
    "origin_access_control",
    "static_bucket_policy",
    "static_object",
)
NONCURRENT_VERSION_DAYS = 30
# Types the standard library's built-in table lacks or gets wrong for the web.
WEB_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".avif": "image/avif",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
}
TEXT_TYPES = ("application/javascript", "application/json", "application/manifest+json")
# The built-in table only (no /etc/mime.types), so every machine uploads the same types.
_MIME = mimetypes.MimeTypes()


def content_type(path: Path) -> str:
    """The Content-Type S3 serves for `path` (UTF-8 for text)."""
    suffix = path.suffix.lower()
    guessed = WEB_TYPES.get(suffix) or _MIME.guess_type(path.name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in TEXT_TYPES:
        return f"{guessed}; charset=utf-8"
    return guessed


def cache_control(path: Path) -> str | None:
    """HTML is revalidated on every request so a new deploy shows at once; other files
    follow the CachingOptimized policy (one day by default)."""
    return "no-cache" if path.suffix.lower() in (".html", ".htm") else None


def site_files(directory: Path) -> list[tuple[str, Path]]:
    """(object key, file) for every file under `directory`, dot-files and dot-folders
    skipped, in a stable order."""
    files = []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files.append((relative.as_posix(), path))
    return files


@dataclass
class StaticSite:
    bucket: aws.s3.Bucket
    origin_access_control: aws.cloudfront.OriginAccessControl


def static_bucket(owner: GridopsComponent) -> StaticSite:
    """The bucket (SSE-S3, versioned, noncurrent versions kept 30 days, ACLs off, all
    public access blocked) and the Origin Access Control CloudFront signs with."""
    bucket = owner.child("static_bucket", aws.s3.Bucket, {"force_destroy": False}, suffix="site")
    versioning = private_bucket_settings(
        owner, bucket, role_prefix="static", suffix_prefix="site"
    ).versioning
    owner.child(
        "static_lifecycle",
        aws.s3.BucketLifecycleConfiguration,
        {
            "bucket": bucket.id,
            "rules": [
                {
                    "id": "expire-old-versions",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "noncurrent_version_expiration": {"noncurrent_days": NONCURRENT_VERSION_DAYS},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
                }
            ],
        },
        suffix="site-lifecycle",
        opts=pulumi.ResourceOptions(depends_on=[versioning]),
    )
    oac = owner.child(
        "origin_access_control",
        aws.cloudfront.OriginAccessControl,
        {
            "description": f"{owner.name}: CloudFront signs every request to the site bucket",
            "origin_access_control_origin_type": "s3",
            "signing_behavior": "always",
            "signing_protocol": "sigv4",
        },
        suffix="oac",
    )
    return StaticSite(bucket, oac)


def bucket_policy_document(
    bucket_arn: pulumi.Input[str], distribution_arn: pulumi.Input[str]
) -> pulumi.Output[str]:
    """CloudFront may read objects only on behalf of this distribution (AWS:SourceArn);
    nobody may use the bucket over plain HTTP. Without s3:ListBucket a missing object
    answers 403, not 404, so the bucket's key names cannot be probed."""
    objects = pulumi.Output.concat(bucket_arn, "/*")
    read = iam.statement(
        ["s3:GetObject"],
        [objects],
        sid="CloudFrontDistributionReadsObjects",
        conditions={"StringEquals": {"AWS:SourceArn": distribution_arn}},
    )
    read["Principal"] = {"Service": "cloudfront.amazonaws.com"}
    return iam.policy_document([read, iam.deny_insecure_transport("s3", [bucket_arn, objects])])


def bucket_policy(
    owner: GridopsComponent, bucket: aws.s3.Bucket, distribution_arn: pulumi.Input[str]
) -> pulumi.Output[str]:
    document = bucket_policy_document(bucket.arn, distribution_arn)
    owner.child(
        "static_bucket_policy",
        aws.s3.BucketPolicy,
        {"bucket": bucket.id, "policy": document},
        suffix="site-policy",
    )
    return document


def upload(
    owner: GridopsComponent, bucket: aws.s3.Bucket, directory: Path
) -> list[aws.s3.BucketObjectv2]:
    """One object per file of `directory` (a changed file changes its asset hash, so
    Pulumi replaces just that object)."""
    objects = []
    for key, path in site_files(directory):
        args = {
            "bucket": bucket.id,
            "key": key,
            "source": pulumi.FileAsset(str(path)),
            "content_type": content_type(path),
        }
        control = cache_control(path)
        if control:
            args["cache_control"] = control
        objects.append(
            # Untagged: S3 allows 10 tags per object and bills object tags.
            owner.child(
                "static_object", aws.s3.BucketObjectv2, args, suffix=f"site-{key}", tag=False
            )
        )
    return objects


__all__ = [
    "ROLES",
    "StaticSite",
    "bucket_policy",
    "bucket_policy_document",
    "cache_control",
    "content_type",
    "site_files",
    "static_bucket",
    "upload",
]
