"""Budgets: an AWS Budget from the stack's cost estimate, and cost anomaly detection.

Names load their module on first use (`core/lazy.py`).
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.budgets.args import StackBudgetArgs
    from gridops_infra.budgets.component import StackBudget

_EXPORTS = {
    "StackBudget": "gridops_infra.budgets.component",
    "StackBudgetArgs": "gridops_infra.budgets.args",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["StackBudget", "StackBudgetArgs"]
