"""The gridops_infra policy pack: `pulumi preview --policy-pack ./policypack`.

The rules live in gridops_infra.policy; `gridops check` runs the same rules offline.
"""

import sys
from pathlib import Path

try:
    import gridops_infra  # noqa: F401
except ImportError:  # running from a checkout whose package is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gridops_infra.policy.pack import serve

serve()
