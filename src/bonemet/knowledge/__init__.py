"""Clinical facts with their sources: drugs, primaries, imaging, radiotherapy, citations."""

from __future__ import annotations

import importlib

from bonemet.knowledge.citations import Citation, all_citations, cite

# Every module that registers citations; imported on demand so the registry is complete.
_CITING_MODULES = (
    "bonemet.knowledge.pathway_sources",
    "bonemet.knowledge.guideline_sources",
    "bonemet.knowledge.drugs",
    "bonemet.knowledge.primaries",
    "bonemet.knowledge.imaging",
    "bonemet.knowledge.radiotherapy",
    "bonemet.knowledge.radiosensitivity",
    "bonemet.knowledge.surgery",
    "bonemet.knowledge.emergencies",
    "bonemet.knowledge.safety",
    "bonemet.scores.mirels",
    "bonemet.scores.sins",
    "bonemet.scores.escc",
    "bonemet.scores.noms",
    "bonemet.scores.tokuhashi",
    "bonemet.scores.tomita",
    "bonemet.scores.katagiri",
    "bonemet.scores.crcl",
    "bonemet.scores.performance",
)


def all_citations_loaded() -> dict[str, Citation]:
    """The whole registry, after importing every module that registers sources."""
    for name in _CITING_MODULES:
        importlib.import_module(name)
    return all_citations()


__all__ = ["Citation", "all_citations", "all_citations_loaded", "cite"]
