"""Seeds of the demo account: one module per service, each with
``seed(session, regions, scale=1)``. ``session.client(service, region_name=...)``
talks to the emulator; ``scale`` multiplies resources for the benchmarks.

Modules run in the order of their ``ORDER`` (default 50), then by name: IAM (10)
before S3 (20) before EC2 (30), since later seeds use what earlier ones made. A
module that only gathers other seeds (it defines ``SEEDS``) is not run itself.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Collection, Sequence
from typing import Any


def seed_modules() -> list[Any]:
    """Every seed module of this package, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "seed") and not hasattr(module, "SEEDS"):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))


def run_seeds(
    session: Any, regions: Sequence[str], scale: int = 1, grow: Collection[str] | None = None
) -> None:
    """Seed the emulated account with every module; ``grow`` (module names) limits
    which ones get ``scale``, the others seed their base set."""
    for module in seed_modules():
        name = module.__name__.rsplit(".", 1)[-1]
        factor = scale if grow is None or name in grow else 1
        if "scale" in inspect.signature(module.seed).parameters:
            module.seed(session, regions, scale=factor)
        else:
            module.seed(session, regions)
