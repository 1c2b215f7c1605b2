"""The responsibility model as data: who secures which layer of each service model,
which services each model covers and which layer a check is about. The wizard's
matrix and the reports read it from here, one source."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
class ServiceUse:
    """What a service's checks are about: their layer, and whether they concern every
    service model (identity, keys, logging) or only those that list the service."""

    layer: str
    every_model: bool = False


@dataclass(frozen=True, slots=True)
class Matrix:
    """Layers (rows) by service models (columns)."""

    layers: tuple[Layer, ...]
    models: tuple[ServiceModel, ...]
    services: Mapping[str, ServiceUse] = field(default_factory=dict)
    #: (word, layer): a check id holding the word is about that layer; first match wins.
    words: tuple[tuple[str, str], ...] = ()

    def layer_of(self, check_id: str, service: str) -> str:
        """The layer of the stack a check is about: a word of its id, else its
        service's layer, else the application."""
        name = check_id.split(".", 1)[-1]
        for word, layer in self.words:
            if word in name:
                return layer
        use = self.services.get(service)
        return use.layer if use is not None else "application"

    def counts_in(self, service: str, model: ServiceModel) -> bool:
        """Whether a check of ``service`` says something about ``model``'s column."""
        use = self.services.get(service)
        return service in model.services or (use is not None and use.every_model)

    def in_use(self, services: Sequence[str]) -> Matrix:
        """The models whose services a scan found in use; all of them when none are
        known yet (before a scan)."""
        if not services:
            return self
        chosen = tuple(m for m in self.models if any(s in services for s in m.services))
        return Matrix(self.layers, chosen or self.models, self.services, self.words)


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
    known = {layer.id for layer in layers}
    services = {
        name: ServiceUse(use["layer"], bool(use.get("every_model", False)))
        for name, use in data["services"].items()
    }
    words = tuple((item["word"], item["layer"]) for item in data["word"])
    wrong = {u.layer for u in services.values()} | {layer for _, layer in words}
    if wrong - known:
        # Shipped data: a mistake here is a bug, caught by the tests.
        raise ValueError(f"responsibility.toml names unknown layers {sorted(wrong - known)}")
    return Matrix(layers, models, services, words)
