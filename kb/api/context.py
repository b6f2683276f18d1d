"""What every resolver of one request can reach: the store, the request's DataLoaders, the
settings, the HTTP request (for the Authorization header) and the app's outage hook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb.api.loaders import Loaders
from kb.config import Settings
from kb.store.base import GraphStore


@dataclass(slots=True)
class Context:
    store: GraphStore
    settings: Settings
    request: Any = None
    response: Any = None
    on_store_down: Callable[[], Any] | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
