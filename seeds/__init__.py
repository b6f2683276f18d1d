"""The seed corpus and the curated ontology, shipped as package data.

A package (rather than a folder found relative to the source tree) so that an installed,
non-editable `kb` finds them too. `KB_ONTOLOGY_DIR` points the extractors at another thesaurus.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def corpus_dir() -> Path:
    return Path(str(resources.files(__name__) / "corpus"))


def ontology_dir() -> Path:
    env = os.environ.get("KB_ONTOLOGY_DIR")
    return Path(env) if env else Path(str(resources.files(__name__) / "ontology"))
