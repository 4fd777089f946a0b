"""gridops_infra."""
