"""The `kb` command: load documents, serve the API, inspect and evaluate the graph."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kb.config import Settings
from kb.store import make_store
from kb.store.base import GraphStore, StoreError

app = typer.Typer(
    help="Legal-argument knowledge base: load news and commentary into a graph of legal "
    "concepts, precedents, actors, events and claims, and serve it over GraphQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)
T = TypeVar("T")


class CliError(Exception):
    """An error reported as one line, with a non-zero exit."""


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as exc:
        raise CliError(str(exc)) from exc


@asynccontextmanager
async def open_store(settings: Settings, bootstrap: bool = True):  # type: ignore[no-untyped-def]
    store = make_store(settings)
    try:
        await store.connect()
        if bootstrap:
            await store.bootstrap()
        yield store
    finally:
        await store.close()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that stop a command the way Ctrl-C does. Without this, SIGTERM (what systemd, Docker
and supervisors send) and SIGHUP (a closed terminal) end the process at once, skipping the
clean-up that stops the embedded store this command started."""


def _as_interrupt(_signum: int, _frame: object) -> None:
    # Re-raised as SIGINT, so whichever handler is active runs: uvicorn's graceful shutdown
    # while serving, asyncio's cancellation of the main task otherwise.
    signal.raise_signal(signal.SIGINT)


def _run(fn: Callable[[], Awaitable[T]], stop_ok: bool = False) -> T:
    """Run a coroutine; any known failure becomes one clear line and exit code 1.

    SIGTERM and SIGHUP are handled as SIGINT, so every way of stopping a command closes the
    store (and stops an embedded server it started). With `stop_ok`, an interrupt is the normal
    way to stop (a server) and exits 0.
    """
    from loaders.errors import DocumentError

    if threading.current_thread() is threading.main_thread():  # (not when embedded in a thread)
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            # started in the background by a shell script (`kb load ... &`), which ignores
            # SIGINT: asyncio would then install no handler and SIGTERM, re-raised as SIGINT,
            # would be lost
            signal.signal(signal.SIGINT, signal.default_int_handler)
        for signum in STOP_SIGNALS:
            signal.signal(signum, _as_interrupt)
    try:
        return asyncio.run(fn())
    except (CliError, StoreError, DocumentError, ValueError, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        if stop_ok:
            err.print("stopped")
            raise typer.Exit(0) from None
        err.print("[red]interrupted[/red]")
        raise typer.Exit(130) from None


async def _stats(store: GraphStore) -> tuple[dict[str, int], dict[str, int]]:
    from kb.cypher import schema

    nodes = await store.read(schema.stats_nodes(store.dialect))
    rels = await store.read(schema.stats_rels(store.dialect))
    return ({r["label"]: r["count"] for r in nodes}, {r["type"]: r["count"] for r in rels})


def _stats_table(title: str, before: dict[str, int], after: dict[str, int],
                 delta: bool) -> Table:
    table = Table(title=title)
    table.add_column("name")
    table.add_column("count", justify="right")
    if delta:
        table.add_column("added", justify="right")
    for name in sorted(set(before) | set(after)):
        row = [name, str(after.get(name, 0))]
        if delta:
            row.append(f"{after.get(name, 0) - before.get(name, 0):+d}")
        table.add_row(*row)
    return table


@app.command()
def stats() -> None:
    """Show node counts per label and relationship counts per type."""

    async def main() -> None:
        async with open_store(_settings()) as store:
            nodes, rels = await _stats(store)
        console.print(_stats_table("nodes", {}, nodes, delta=False))
        console.print(_stats_table("relationships", {}, rels, delta=False))

    _run(main)


@app.command()
def reset(yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete everything.")] = False
          ) -> None:
    """Empty the store (every node and relationship)."""
    if not yes:
        err.print("[red]error:[/red] refusing to empty the store without --yes")
        raise typer.Exit(2)

    async def main() -> None:
        from kb.cypher import schema

        async with open_store(_settings()) as store:
            await store.write(schema.reset(store.dialect))
        console.print("store emptied")

    _run(main)


async def load_into(store: GraphStore, paths: list[Path], force: bool = False,
                    show_progress: bool = True) -> Any:
    """Load paths with a progress bar and a summary table; returns the LoadReport."""
    from kb.ingest import iter_files, load_files
    from kb.ontology_sync import sync_ontology

    await sync_ontology(store)
    files = list(iter_files(paths))
    before = await _stats(store)
    with Progress(TextColumn("[bold]loading"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=err,
                  disable=not show_progress, transient=True) as progress:
        task = progress.add_task("", total=len(files))

        def advance(result: Any) -> None:
            progress.update(task, advance=1, description=Path(result.path).name)
            if result.reason:
                # one line per document, whatever the terminal width; a path may hold brackets
                err.print(f"[red]failed:[/red] {escape(result.path)}: {escape(result.reason)}",
                          highlight=False, soft_wrap=True)

        report = await load_files(store, files, force=force, on_result=advance)
    after = await _stats(store)
    summary = Table(title="documents")
    summary.add_column("status")
    summary.add_column("count", justify="right")
    from kb.ingest import Status

    for status in Status:
        summary.add_row(status.value, str(report.count(status)))
    console.print(summary)
    console.print(_stats_table("nodes", before[0], after[0], delta=True))
    console.print(_stats_table("relationships", before[1], after[1], delta=True))
    return report


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of documents.")],
    force: Annotated[bool, typer.Option(help="Re-extract documents whose bytes did not "
                                             "change.")] = False,
) -> None:
    """Load documents into the store, one transaction per document.

    Bad documents are reported with their path and reason and skipped; the exit code is 1
    when any failed.
    """

    async def main() -> int:
        async with open_store(_settings()) as store:
            report = await load_into(store, paths, force=force)
        return len(report.failures)

    failed = _run(main)
    if failed:
        err.print(f"[red]{failed} document(s) failed[/red]")
        raise typer.Exit(1)


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="One document.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the default).")] = True,
) -> None:
    """Print what one document yields, without touching the store."""
    from kb.ingest import extract_file
    from loaders.extract import extraction_to_json

    async def main() -> dict[str, Any]:
        return extraction_to_json(extract_file(path))

    data = _run(main)
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@app.command(name="eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold YAML checklists.")],
    corpus_dir: Annotated[Path, typer.Argument(help="Folder of the documents they describe.")],
    details: Annotated[bool, typer.Option("--details", "-v", help="Also print each document's "
                                          "scores, every miss and every false positive.")] = False,
) -> None:
    """Measure extraction quality against gold checklists (precision, recall, traps).

    Recall is over the required gold items, precision over all of them (optional ones too).
    Exits 1 when a target is missed or a boilerplate trap yields a node.
    """
    from loaders.evaluate import DEFAULT_TARGETS
    from loaders.evaluate import evaluate as run_eval

    async def main() -> Any:
        return run_eval(gold_dir, corpus_dir)

    report = _run(main)
    console.print(report.to_table(), soft_wrap=True, markup=False, highlight=False)
    if details:
        console.print(report.per_document(), soft_wrap=True, markup=False, highlight=False)
        console.print(report.details(), soft_wrap=True, markup=False, highlight=False)
    if not report.passed(DEFAULT_TARGETS):
        err.print("[red]targets missed[/red]")
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    seed: Annotated[bool, typer.Option(help="Load seeds/corpus first when the store is "
                                            "empty.")] = True,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Worker processes sharing the store (default: the cores, 2 to 4); 1 "
                    "serves in this process.")] = None,
) -> None:
    """Serve the GraphQL API with uvicorn (loads the seed corpus into an empty store first).

    Several workers answer requests in parallel, one per core (kb.serving); they share the
    store this command opened, which it stops once every worker has exited."""
    import uvicorn

    from kb.api.app import create_app
    from kb.ingest import seed_corpus
    from kb.serving import default_workers, serve_workers

    settings = _settings()
    n = default_workers() if workers is None else workers

    async def main() -> None:
        async with open_store(settings) as store:
            nodes, _ = await _stats(store)
            if seed and not nodes.get("Document"):
                console.print(f"empty store: loading the seed corpus from {seed_corpus()}")
                report = await load_into(store, [seed_corpus()])
                if report.failures:  # a broken install is not an empty graph
                    raise CliError(f"{len(report.failures)} seed document(s) failed to load; "
                                   "not serving an incomplete graph (run `kb doctor`)")
            console.print(f"graph explorer: http://{host}:{port}/explore", highlight=False,
                          soft_wrap=True)
            if n > 1:  # the workers connect to the store this process holds open
                serve_workers(host, port, n)
                return
            config = uvicorn.Config(create_app(settings, store=store), host=host, port=port,
                                    log_level="info", lifespan="on")
            await uvicorn.Server(config).serve()

    # uvicorn re-raises the Ctrl-C or SIGTERM it handled once it has shut down: a clean stop.
    _run(main, stop_ok=True)


@app.command()
def delete(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="A document id (document:...).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be "
                                                           "removed.")] = False,
) -> None:
    """Delete a document and everything only it supported (exit 1 if there is no such id)."""
    from kb.writer import delete_document

    async def main() -> Any:
        async with open_store(_settings()) as store:
            return await delete_document(store, doc_id, dry_run=dry_run)

    plan = _run(main)
    if plan is None:
        err.print(f"[red]error:[/red] no document with id {escape(doc_id)}", highlight=False)
        raise typer.Exit(1)
    verb = "would remove" if dry_run else "removed"
    console.print(f"{escape(doc_id)}: {verb} {plan.passages} passages, {plan.claims} claims, "
                  f"{len(plan.removed)} shared nodes only it supported "
                  f"({', '.join(plan.removed) or 'none'}); {len(plan.updated)} shared nodes "
                  "keep their other support", highlight=False, soft_wrap=True)


@app.command()
def doctor() -> None:
    """Check the installation: Python, packages, imports, the embedded store, the ontology,
    a seed extraction and the configured Neo4j; one line per check, exit 1 if any fails."""
    from kb.doctor import run_checks

    checks = run_checks(_settings())
    for check in checks:
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {check.name}: {escape(check.detail)}", highlight=False,
                      soft_wrap=True)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="graphml, gexf or cyjs "
                                                      "(Cytoscape.js JSON).")] = "graphml",
    node_id: Annotated[str | None, typer.Option("--id", help="Export the neighbourhood of "
                                                             "this node only.")] = None,
    depth: Annotated[int, typer.Option(help="Hops around --id (1-3).")] = 1,
) -> None:
    """Export the graph (or a neighbourhood) for visualization tools."""
    from kb.api.errors import ApiError
    from kb.api.export import ExportFormat, export_graph

    try:
        kind = ExportFormat(fmt)
    except ValueError:
        raise typer.BadParameter("choose graphml, gexf or cyjs", param_hint="--format") from None

    async def main() -> int:
        async with open_store(_settings()) as store:
            try:
                data, _truncated = await export_graph(store, kind, node_id, depth)
            except ApiError as exc:
                raise CliError(str(exc)) from None
        output.write_bytes(data)
        return len(data)

    size = _run(main)
    console.print(f"wrote {output} ({size} bytes)")


@app.command()
def schema(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the SDL.")] =
    Path("graphql/schema.graphql"),
) -> None:
    """Export the GraphQL schema (SDL) to a file."""
    from kb.api.schema import schema as gql_schema

    output.write_text(gql_schema.as_str() + "\n")
    console.print(f"wrote {output}")


if __name__ == "__main__":  # pragma: no cover
    app()
