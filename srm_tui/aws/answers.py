"""What counts as an answer: a successful HTTP response whose body can be read.

botocore reads an empty body as an empty answer, and a JSON body that is not JSON as
``{"message": ...}``: either way a collector would see "nothing configured" and a
check could pass on it. The session runs ``check_answer`` on every response before
botocore parses it, so an answer that is empty where the operation returns data, not
JSON where it must be, or XML of another operation is an error for every collector
alike, never an empty result.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Where a member of an output shape travels when it is not in the body.
_OUTSIDE_BODY = frozenset({"header", "headers", "statusCode"})
_FIRST_ELEMENT = re.compile(rb"<\s*([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_PROLOGUE = re.compile(rb"^(\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S)
_WHITESPACE = b" \t\r\n\xef\xbb\xbf"  # with a UTF-8 byte order mark


class UnreadableAnswer(Exception):
    """An endpoint's successful answer that is not an answer to the call made."""

    def __init__(self, operation: str, what: str, service: str = "") -> None:
        super().__init__(f"the answer to {operation} is {what}")
        self.operation = operation
        self.what = what  # "empty", "not JSON"...
        # The client's service ("iam"): a collector may call another service than its own.
        self.service = service


def _protocol(operation_model: Any) -> str:
    service_model = operation_model.service_model
    return str(getattr(service_model, "resolved_protocol", "") or service_model.protocol)


def _raw_payload(shape: Any) -> bool:
    """True when the body is one blob or string member, sent as is (not JSON or XML)."""
    payload = shape.serialization.get("payload")
    if not payload or payload not in shape.members:
        return False
    return shape.members[payload].type_name in ("blob", "string")


def _expects_body(shape: Any) -> bool:
    if shape is None or shape.type_name != "structure":
        return False
    if shape.serialization.get("payload"):
        return True
    return any(
        member.serialization.get("location") not in _OUTSIDE_BODY
        for member in shape.members.values()
    )


def check_answer(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
    """A ``before-parse`` handler: raise UnreadableAnswer for a successful response that
    is empty where the operation returns data, not a JSON object for a JSON protocol,
    or XML whose root is not the operation's for the query and EC2 protocols."""
    if int(response_dict.get("status_code") or 0) >= 300 or operation_model.has_streaming_output:
        return
    shape = operation_model.output_shape
    if not _expects_body(shape):
        return
    body = response_dict.get("body")
    if not isinstance(body, bytes | bytearray):
        return
    name = operation_model.name
    service = operation_model.service_model.service_name
    text = bytes(body).strip(_WHITESPACE)
    if not text:
        raise UnreadableAnswer(name, "empty", service)
    protocol = _protocol(operation_model)
    if _raw_payload(shape):
        return
    if protocol in ("json", "rest-json"):
        try:
            value = json.loads(text)
        except ValueError:
            raise UnreadableAnswer(name, "not JSON", service) from None
        except RecursionError:
            raise UnreadableAnswer(name, "JSON nested too deeply to read", service) from None
        if not isinstance(value, dict):
            raise UnreadableAnswer(name, "not a JSON object", service)
    elif protocol in ("query", "ec2", "rest-xml"):
        root = _root_element(text)
        # The query protocols name the root after the operation; REST-XML roots vary by
        # operation, but none is a web page.
        expected = root == f"{name}Response" if protocol != "rest-xml" else root.lower() != "html"
        if not root or not expected:
            what = f"<{root[:40]}>" if root else "no XML"
            raise UnreadableAnswer(name, f"not the expected XML (found {what})", service)


def _root_element(text: bytes) -> str:
    """The name of the first element of an XML text (without its namespace prefix)."""
    start = _PROLOGUE.match(text)
    found = _FIRST_ELEMENT.match(text, start.end() if start else 0)
    return found.group(2).decode("ascii", "replace") if found else ""
