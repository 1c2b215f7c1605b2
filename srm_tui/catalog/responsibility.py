"""The responsibility model as data: who secures which layer of each service model."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from srm_tui.model import Responsibility


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer of the stack (facilities, guest OS, data...)."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class ServiceModel:
    """One way of running things on AWS and who owns each of its layers."""

    id: str
    title: str
    services: tuple[str, ...]
    owners: dict[str, Responsibility]

    def owner(self, layer: str) -> Responsibility:
        """Who owns ``layer`` in this model."""
        return self.owners[layer]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Layers (rows) by service models (columns)."""

    layers: tuple[Layer, ...]
    models: tuple[ServiceModel, ...]

    def in_use(self, services: Sequence[str]) -> Matrix:
        """The models whose services a scan found in use; all of them when none are
        known yet (before a scan)."""
        if not services:
            return self
        chosen = tuple(m for m in self.models if any(s in services for s in m.services))
        return Matrix(self.layers, chosen or self.models)


@cache
def load() -> Matrix:
    """The shipped responsibility model."""
    text = resources.files(__package__).joinpath("responsibility.toml").read_text("utf-8")
    data = tomllib.loads(text)
    layers = tuple(Layer(item["id"], item["title"]) for item in data["layer"])
    models = tuple(
        ServiceModel(
            item["id"],
            item["title"],
            tuple(item["services"]),
            {layer.id: Responsibility(item[layer.id]) for layer in layers},
        )
        for item in data["model"]
    )
    return Matrix(layers, models)
