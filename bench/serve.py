"""App factories for uvicorn (`uvicorn bench.serve:product --factory`); KB_DATA_DIR and the
other settings come from the environment, as for `kb serve`.

`python -m bench.serve FACTORY PORT WORKERS` serves a factory in several worker processes the
way `kb serve --workers N` does (`kb.serving.serve_workers`: its listening socket has TCP_NODELAY
on accepted connections, which `uvicorn --workers N` leaves off, adding a delayed ACK, about
40 ms, to every request)."""

from __future__ import annotations

from starlette.applications import Starlette

from kb.config import Settings


def product() -> Starlette:
    from kb.api.app import create_app

    return create_app(Settings.from_env())


def naive() -> Starlette:
    from bench.naive import create_app

    return create_app(Settings.from_env())


def main(argv: list[str]) -> None:
    from kb.serving import serve_workers

    factory, port, workers = argv
    serve_workers("127.0.0.1", int(port), int(workers), "warning", app=factory,
                  access_log=False)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
