"""Why a collector could not collect: one sentence, and the IAM action if denied.

A failure never becomes a pass or a fail: the engine turns it into ``error``
findings for every check that needed the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from srm_tui.aws.actions import iam_action
from srm_tui.aws.answers import UnreadableAnswer
from srm_tui.secrets import redact

DENIED = "denied"
UNSUPPORTED = "unsupported"
THROTTLED = "throttled"
UNREACHABLE = "unreachable"
NOT_ENABLED = "not_enabled"
EXPIRED = "expired"
FAILED = "failed"

_DENIED_CODES = {
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
    "UnauthorizedException", "Forbidden", "403", "AuthorizationErrorException",
    "InsufficientPermissionsException",
}  # fmt: skip
_THROTTLE_CODES = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "SlowDown", "RequestThrottled", "RequestThrottledException",
    "ProvisionedThroughputExceededException", "LimitExceededException",
}  # fmt: skip
_UNSUPPORTED_CODES = {"NotImplemented", "InvalidAction", "UnknownOperationException", "501"}
_NOT_ENABLED_CODES = {
    "SubscriptionRequiredException", "OptInRequired", "AuthFailure",
    "UnrecognizedClientException", "InvalidClientTokenId",
}  # fmt: skip
# The credentials themselves have expired (temporary credentials, SSO).
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
_ACTION_IN_MESSAGE = re.compile(r"perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)")


@dataclass(frozen=True, slots=True)
class CollectError(Exception):
    """A collector's failure: what kind, and the sentence a user reads."""

    kind: str
    reason: str
    action: str = ""

    def __str__(self) -> str:
        return self.reason


def _looks_like_html(message: str) -> bool:
    return "<html" in message.lower() or "<!doctype" in message.lower()


def classify(exc: BaseException, service: str, region: str) -> CollectError:
    """Turn any exception from a boto3 call into a CollectError."""
    if isinstance(exc, CollectError):
        return exc
    where = "" if region in ("", "global") else f" in {region}"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = str(error.get("Message", "") or "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        operation = exc.operation_name or ""
        action = iam_action(service, operation) if operation else service
        if code in _DENIED_CODES or "not authorized" in message.lower():
            found = _ACTION_IN_MESSAGE.search(message)
            action = found.group(1) if found else action
            return CollectError(DENIED, f"access denied to {action}{where}", action)
        if code in EXPIRED_CODES:
            return CollectError(
                EXPIRED,
                f"the AWS credentials expired before {action}{where} ({code}): renew them "
                "and scan again",
            )
        if code in _THROTTLE_CODES:
            return CollectError(THROTTLED, f"throttled by AWS on {action}{where} after retries")
        if code in _NOT_ENABLED_CODES:
            return CollectError(
                NOT_ENABLED,
                f"{action}{where} refused the credentials: the region or "
                "service may not be enabled for this account ({code})",
            )
        if (
            code in _UNSUPPORTED_CODES
            or (code in ("500", "404", "InternalFailure") and _looks_like_html(message))
            or (status in (404, 500, 501) and _looks_like_html(message))
        ):
            return CollectError(UNSUPPORTED, f"{action}{where} is not supported by this endpoint")
        text = redact(message.strip().splitlines()[0] if message.strip() else code)[:200]
        return CollectError(FAILED, f"{action}{where} failed: {code}: {text}")
    if isinstance(exc, UnreadableAnswer):
        action = iam_action(exc.service or service, exc.operation)
        return CollectError(
            FAILED, f"{action}{where} gave an answer that cannot be read ({exc.what})"
        )
    if isinstance(exc, ResponseParserError):
        return CollectError(
            FAILED, f"{service}{where} gave an answer that cannot be read (not well-formed)"
        )
    if isinstance(exc, NotImplementedError):
        return CollectError(UNSUPPORTED, f"{service}{where} is not supported by this endpoint")
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError)):
        return CollectError(UNREACHABLE, f"could not reach {service}{where}")
    if isinstance(exc, ReadTimeoutError):
        return CollectError(UNREACHABLE, f"{service}{where} did not answer in time")
    if isinstance(exc, NoCredentialsError):
        return CollectError(FAILED, "no AWS credentials")
    if isinstance(exc, BotoCoreError):
        return CollectError(FAILED, f"{service}{where} failed: {redact(str(exc))[:200]}")
    return CollectError(
        FAILED, f"{service}{where} failed: {type(exc).__name__}: {redact(str(exc))[:200]}"
    )
