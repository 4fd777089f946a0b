"""`help(Component)` lists every argument: the field docstrings of the component's Args
TypedDict (and the TypedDicts it extends), read from their source, appended to the
constructor's docstring; then the child roles `transforms` accepts, with what each child
is for.

Every field docstring ends the same way: its description, a blank line, then a line
`Default: <what happens when the key is left out>` (or `Required.`) and a last line
`Example: ``<a Python expression>``` (tests/api/test_argument_docs.py holds every Args
TypedDict to it)."""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from dataclasses import dataclass
from typing import Any

from gridops_infra.core.role_purposes import ROLE_PURPOSES

EXAMPLE_LINE = re.compile(r"^Example: ``(?P<code>.+)``$")


@dataclass(frozen=True)
class FieldDoc:
    """One field docstring split into its parts; `default` and `example` are None when
    the docstring lacks them."""

    description: str
    default: str | None
    required: bool
    example: str | None


def split_field_doc(text: str) -> FieldDoc:
    """The description, the `Default:` paragraph (or `Required.`) and the example's code
    of a field docstring written as the module docstring says."""
    lines = text.splitlines()
    example = None
    if lines and (match := EXAMPLE_LINE.match(lines[-1].strip())):
        example = match["code"]
        lines = lines[:-1]
    default_at = next(
        (
            i
            for i, line in enumerate(lines)
            if line.startswith("Default:") or line.strip() == "Required."
        ),
        None,
    )
    if default_at is None:
        return FieldDoc("\n".join(lines).strip(), None, False, example)
    default = " ".join(" ".join(lines[default_at:]).split())
    required = default == "Required."
    return FieldDoc(
        "\n".join(lines[:default_at]).strip(),
        None if required else default,
        required,
        example,
    )


def field_docs(typed_dict: type) -> dict[str, tuple[str, str]]:
    """field -> (annotation as written, docstring) for `typed_dict` and its bases."""
    source = textwrap.dedent(inspect.getsource(typed_dict))
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.ClassDef):
        return {}
    module = sys.modules[typed_dict.__module__]
    docs: dict[str, tuple[str, str]] = {}
    for base in node.bases:
        resolved = getattr(module, base.id, None) if isinstance(base, ast.Name) else None
        if isinstance(resolved, type) and issubclass(resolved, dict) and resolved is not dict:
            docs.update(field_docs(resolved))
    body = node.body
    for i, item in enumerate(body):
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        following = body[i + 1] if i + 1 < len(body) else None
        text = ""
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            text = inspect.cleandoc(following.value.value)
        docs[item.target.id] = (ast.unparse(item.annotation), text)
    return docs


def args_reference(typed_dict: type) -> str:
    """The argument list `help()` shows: each field, its type, its docstring."""
    lines = [
        f"Arguments (`args`, a `{typed_dict.__name__}`; every key is optional unless marked",
        "(required)):",
    ]
    for field, (annotation, text) in field_docs(typed_dict).items():
        doc = split_field_doc(text)
        lines += ["", f"{field}: {annotation}" + ("  (required)" if doc.required else "")]
        body = doc.description.splitlines() or ["Not documented."]
        if doc.default is not None:
            body += textwrap.wrap(doc.default, 84, subsequent_indent="    ")
        if doc.example is not None:
            body.append(f"Example: {doc.example}")
        lines += [f"    {line}" if line else "" for line in body]
    return "\n".join(lines)


def args_typed_dict(init: Any) -> type | None:
    """The Args TypedDict named in a constructor's `args` annotation (a string under
    `from __future__ import annotations`), looked up in the constructor's module."""
    annotation = getattr(init, "__annotations__", {}).get("args")
    if annotation is None:
        return None
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    module = sys.modules.get(init.__module__)
    for name in re.findall(r"\b(\w+Args)\b", text):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, dict):
            return found
    return None


def roles_reference(cls: type) -> str:
    """The child roles `help()` shows under the arguments. A component whose children
    depend on its platform is pointed at its `CHILD_ROLES`: listing them here would load
    every platform's backend when the class is defined."""
    roles = inspect.getattr_static(cls, "CHILD_ROLES", ())
    if not isinstance(roles, tuple):
        return (
            "Child roles (the keys of `transforms`) depend on the platform: "
            f"`{cls.__name__}.CHILD_ROLES` lists every platform's (the documentation's "
            "Transforms page says which platform creates which)."
        )
    lines = ["Child roles (the keys of `transforms`):"]
    for role in roles:
        purpose = ROLE_PURPOSES.get(f"{cls.__name__}.{role}") or ROLE_PURPOSES.get(role, "")
        lines += ["", f"{role}:", f"    {purpose or 'Not described.'}"]
    return "\n".join(lines)


def document_constructor(cls: type) -> None:
    """Append the argument reference to `cls.__init__.__doc__` (once; never fails an import:
    without source, as in a build that ships only bytecode, the docstring stays as it is)."""
    init = cls.__dict__.get("__init__")
    if init is None:
        return
    try:
        typed_dict = args_typed_dict(init)
        if typed_dict is None:
            return
        reference = args_reference(typed_dict)
        if "transforms" in typed_dict.__annotations__:
            reference = f"{reference}\n\n{roles_reference(cls)}"
    except (OSError, TypeError, SyntaxError):
        return
    own = inspect.cleandoc(init.__doc__) if init.__doc__ else ""
    init.__doc__ = f"{own}\n\n{reference}" if own else reference
