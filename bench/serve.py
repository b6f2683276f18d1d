"""App factories for uvicorn (`uvicorn bench.serve:product --factory`); KB_DATA_DIR and the
other settings come from the environment, as for `kb serve`."""

from __future__ import annotations

from starlette.applications import Starlette

from kb.config import Settings


def product() -> Starlette:
    from kb.api.app import create_app

    return create_app(Settings.from_env())


def naive() -> Starlette:
    from bench.naive import create_app

    return create_app(Settings.from_env())
