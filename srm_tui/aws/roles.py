"""Reaching a member account: ``sts:AssumeRole`` into ``arn:PARTITION:iam::ID:role/NAME``
with the caller's own credentials, renewed before they expire.

The credentials live in the returned boto3 session only: never in a task, a result, a
file or a message. A role that cannot be assumed is a RoleError with one sentence
saying why, which the scan turns into that account's ``error`` findings.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.session
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from srm_tui.aws.ledger import Ledger
from srm_tui.aws.session import client_config, share_models
from srm_tui.errors import SrmError
from srm_tui.sanitize import clean
from srm_tui.secrets import redact

DEFAULT_ROLE = "OrganizationAccountAccessRole"
SESSION_NAME = "srm-tui-review"
#: An hour is the longest a role chain allows and the default maximum of a role.
SESSION_SECONDS = 3600


class RoleError(SrmError):
    """The member role could not be assumed; the message says why, in one sentence."""


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    """``arn:aws:iam::111122223333:role/NAME`` (a role name may carry a path)."""
    return f"arn:{partition}:iam::{account_id}:role/{role_name.strip('/')}"


def assumed_session(
    base: boto3.Session,
    *,
    account_id: str,
    role_name: str,
    partition: str,
    region: str,
    endpoint_url: str | None,
    external_id: str = "",
    ledger: Ledger | None = None,
    sts: Any = None,
) -> boto3.Session:
    """A boto3 session acting in ``account_id`` through its role ``role_name``, assumed
    with ``base``'s credentials; renewed by itself before the hour is up.

    ``sts`` replaces the STS client (tests give one with a Stubber). RoleError when
    the role cannot be assumed."""
    arn = role_arn(partition, account_id, role_name)
    client = sts or base.client(
        "sts", region_name=region, endpoint_url=endpoint_url, config=client_config(endpoint_url, 2)
    )
    params: dict[str, Any] = {
        "RoleArn": arn,
        "RoleSessionName": SESSION_NAME,
        "DurationSeconds": SESSION_SECONDS,
    }
    if external_id:
        params["ExternalId"] = external_id
    lock = threading.Lock()

    def fetch() -> dict[str, str]:
        with lock:
            if ledger is not None:
                # The external id is not recorded: the ledger keeps parameters.
                ledger.record("sts", "AssumeRole", region, {"RoleArn": arn})
            try:
                answer = client.assume_role(**params)
            except ClientError as exc:
                error = exc.response.get("Error", {})
                code = str(error.get("Code", "")) or "error"
                message = redact(clean(str(error.get("Message", "") or "")))[:240]
                raise RoleError(
                    f"could not assume {arn}: {code}"
                    + (f": {message}" if message else "")
                    + _hint(code)
                ) from None
            except NoCredentialsError:
                raise RoleError(
                    f"could not assume {arn}: no AWS credentials to assume it with"
                ) from None
            except BotoCoreError as exc:
                raise RoleError(
                    f"could not assume {arn}: {redact(clean(str(exc)))[:200]}"
                ) from None
            return _metadata(answer, arn)

    credentials = RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method="sts-assume-role"
    )
    core = botocore.session.get_session()
    # botocore has no public setter for credentials that renew themselves.
    core._credentials = credentials
    return share_models(boto3.Session(botocore_session=core, region_name=region))


def _hint(code: str) -> str:
    if code in ("AccessDenied", "AccessDeniedException"):
        return (
            " (does the role exist in that account, trust this account, and match the "
            "external id, if any?)"
        )
    return ""


def _metadata(answer: Any, arn: str) -> dict[str, str]:
    found = answer.get("Credentials") if isinstance(answer, dict) else None
    if not isinstance(found, dict) or not all(
        isinstance(found.get(k), str) and found.get(k)
        for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")
    ):
        raise RoleError(f"could not assume {arn}: STS answered without credentials")
    expiry = found.get("Expiration")
    if isinstance(expiry, datetime):
        when = expiry if expiry.tzinfo else expiry.replace(tzinfo=UTC)
    else:  # no expiry given: ask again in a quarter of an hour
        when = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=15)
    return {
        "access_key": found["AccessKeyId"],
        "secret_key": found["SecretAccessKey"],
        "token": found["SessionToken"],
        "expiry_time": when.isoformat(),
    }
