"""Extraction's stages: each declares what it reads and adds, and is held to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extract.pipeline import PIPELINE, DocState, Stage, StageError, run
from loaders.ontology import load_ontology
from loaders.read import read_path

SEED = sorted((Path(__file__).resolve().parent.parent / "seeds" / "corpus").glob("*.txt"))[0]


def test_every_stage_reads_only_what_an_earlier_stage_added() -> None:
    available = {"doc", "onto"}
    for stage in PIPELINE:
        assert set(stage.reads) <= available, stage.name
        assert not set(stage.adds) & available, f"{stage.name} adds a field already set"
        available |= set(stage.adds)
    assert PIPELINE[-1].adds == ("extraction",)


def test_the_pipeline_runs_every_stage_in_order_on_a_seed() -> None:
    state = run(read_path(SEED), load_ontology())
    assert state.trace == [s.name for s in PIPELINE]
    assert state.extraction is not None and state.extraction.claims


def test_a_stage_runs_alone_on_what_it_reads() -> None:
    mentions = next(s for s in PIPELINE if s.name == "mentions")
    state = run(read_path(SEED), load_ontology(), (PIPELINE[0], mentions))
    assert state.found_actors is not None and state.found_actors.actors
    assert state.claims is None  # nothing ran that was not asked for


def test_a_stage_that_replaces_another_stages_result_is_refused() -> None:
    def meddle(s: DocState) -> dict[str, object]:
        s.context = None  # not its field
        return {"outlets": []}

    rogue = Stage("rogue", ("context",), ("outlets",), meddle)
    with pytest.raises(StageError, match="replaced context"):
        run(read_path(SEED), load_ontology(), (PIPELINE[0], rogue))


def test_a_stage_must_add_exactly_what_it_declares() -> None:
    lazy = Stage("lazy", ("doc",), ("outlets", "outlet_relations"), lambda s: {"outlets": []})
    with pytest.raises(StageError, match="added"):
        run(read_path(SEED), load_ontology(), (lazy,))
    early = Stage("early", ("claims",), ("affiliations",), lambda s: {"affiliations": []})
    with pytest.raises(StageError, match="reads claims"):
        run(read_path(SEED), load_ontology(), (early,))
