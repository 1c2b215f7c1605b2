"""Walking OSCAL documents in the tests: every object of one, the control ids a catalog
defines, and those an assessment results or POA&M document points at."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def defined_controls(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A catalog's controls by id, in its groups and nested anywhere (each id once: a
    second one fails)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any]) -> None:
        for group in node.get("groups", []):
            walk(group)
        for control in node.get("controls", []):
            assert control["id"] not in found, control["id"]
            found[control["id"]] = control
            walk(control)

    walk(catalog)
    return found


def nodes(document: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON document, the document first."""
    if isinstance(document, dict):
        yield document
        for value in document.values():
            yield from nodes(value)
    elif isinstance(document, list):
        for value in document:
            yield from nodes(value)


def referenced_controls(document: Any) -> set[str]:
    """Every control id an assessment results or POA&M document points at: the
    reviewed controls, the findings' targets, the POA&M items' ``control-id``."""
    found: set[str] = set()
    for node in nodes(document):
        if "control-id" in node:
            found.add(node["control-id"])
        if node.get("type") == "objective-id":
            found.add(node["target-id"])
        if node.get("name") == "control-id" and "value" in node:
            found.add(node["value"])
    return found
