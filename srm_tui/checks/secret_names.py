"""Which environment variable names suggest a secret kept in the clear.

Works on names only (the collectors drop the values); see ``srm_tui.aws.collect.envvars``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Names that always carry credentials: the three FSBP ECS.8 looks for by default
# (ecs.env_credentials judges that control) and the session token that goes with a key.
ALWAYS = frozenset(
    {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ECS_ENGINE_AUTH_DATA"}
)

_WORDS = re.compile(
    r"(^|_)(PASSWORD|PASSWD|PASSPHRASE|PASS|PWD|SECRET|SECRETS|TOKEN|CREDENTIALS?|"
    r"(API|ACCESS|PRIVATE|SECRET|SIGNING|CLIENT|AUTH|MASTER|LICENSE)_?KEY)(_|$)"
)
# A name ending like this names where a secret lives, or something about it, not the secret.
_POINTER = re.compile(
    r"_(ARN|NAME|ID|PATH|PARAM|PARAMETER|URL|URI|ENDPOINT|FILE|REGION|TTL|EXPIRY|EXPIRES|"
    r"LENGTH|HEADER|TYPE|ENABLED|VERSION|FIELD)$"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalise(name: str) -> str:
    """``dbPassword`` and ``db-password`` both become ``DB_PASSWORD``."""
    return re.sub(r"[^A-Z0-9]+", "_", _CAMEL.sub("_", name).upper()).strip("_")


def name_suggests_secret(name: str) -> bool:
    """True when a variable's name says it holds a password, token or key."""
    upper = normalise(name)
    if upper in ALWAYS:
        return True
    return bool(_WORDS.search(upper)) and not _POINTER.search(upper)


def suspicious(variables: Iterable[Mapping[str, Any]]) -> list[str]:
    """Labels (name and why, never the value) of the variables that look like secrets,
    given entries as made by ``envvars.describe``."""
    found = []
    for variable in variables:
        name = variable["name"]
        if variable.get("credential_value"):
            found.append(f"{name} (value shaped like a credential)")
        elif name_suggests_secret(name) and not variable.get("reference_value"):
            found.append(f"{name} (name suggests a secret)")
    return found
