"""Plans previewed once per session and shared by the policy tests."""

from __future__ import annotations

import pytest
from policy_programs import bad_program, good_program, no_tls_program

from gridops_infra.policy import PolicyReport, check_plan
from gridops_infra.testing import Plan, preview


@pytest.fixture(scope="session")
def good_plan() -> Plan:
    return preview(good_program)


@pytest.fixture(scope="session")
def bad_plan() -> Plan:
    return preview(bad_program)


@pytest.fixture(scope="session")
def no_tls_plan() -> Plan:
    return preview(no_tls_program)


@pytest.fixture(scope="session")
def good_report(good_plan: Plan) -> PolicyReport:
    return check_plan(good_plan)


@pytest.fixture(scope="session")
def bad_report(bad_plan: Plan) -> PolicyReport:
    return check_plan(bad_plan)
