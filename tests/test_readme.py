"""The README's Python snippets run as written: a program snippet previews under the
offline engine, a snippet that calls `preview` itself runs as a script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridops_infra.testing import preview

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SNIPPETS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_snippet_runs(index: int) -> None:
    code = SNIPPETS[index]
    if "preview(" in code:
        exec(compile(code, f"README.md snippet {index}", "exec"), {})
        return
    plan = preview(lambda: exec(compile(code, f"README.md snippet {index}", "exec"), {}))
    assert plan.custom_resources, "the snippet registered nothing"
