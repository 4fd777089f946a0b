"""The dated price table shipped with the package (`prices_us_east_1.json`) and how to read it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

PRICE_TABLE = "prices_us_east_1.json"


class PriceTable:
    """The dated price table (`prices_us_east_1.json`): one region, on-demand, USD."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)
        self.free: dict[str, str] = dict(data.get("free", {}))
        self.free_prefixes: dict[str, str] = dict(data.get("free_prefixes", {}))

    @property
    def region(self) -> str:
        return str(self.data["region"])

    @property
    def as_of(self) -> str:
        return str(self.data["as_of"])

    @property
    def source(self) -> str:
        return str(self.data["source"])

    @property
    def currency(self) -> str:
        return str(self.data.get("currency", "USD"))

    @property
    def hours_per_month(self) -> float:
        return float(self.data.get("hours_per_month", 730))

    def rate(self, *path: str) -> float:
        node: Any = self.data
        for key in path:
            if not isinstance(node, Mapping) or key not in node:
                raise KeyError(f"price table has no {'.'.join(path)}")
            node = node[key]
        return float(node)

    def lookup(self, section: str, key: str) -> float | None:
        value = self.data.get(section, {}).get(key)
        return None if value is None else float(value)

    def unpriced_reason(self, klass: str) -> str | None:
        """Why an instance or node class AWS offers has no rate here (`unpriced.classes`,
        keyed `<prefix>.<family>.*`), or None."""
        family = ".".join(klass.split(".")[:2])
        reason = self.data.get("unpriced", {}).get("classes", {}).get(f"{family}.*")
        return None if reason is None else str(reason)

    def free_reason(self, type_token: str) -> str | None:
        if type_token in self.free:
            return self.free[type_token]
        for prefix, reason in self.free_prefixes.items():
            if type_token.startswith(prefix):
                return reason
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "currency": self.currency,
            "as_of": self.as_of,
            "source": self.source,
            "pricing_model": self.data.get("pricing_model"),
        }


@cache
def _default_table() -> PriceTable:
    text = (
        resources.files("gridops_infra.analysis.cost")
        .joinpath(PRICE_TABLE)
        .read_text(encoding="utf-8")
    )
    return PriceTable(json.loads(text))


def load_prices(path: str | Path | None = None) -> PriceTable:
    """The shipped table, or one read from `path` (same schema)."""
    if path is None:
        return _default_table()
    return PriceTable(json.loads(Path(path).read_text(encoding="utf-8")))
