"""The building blocks of every pathway rule.

A rule is a small function named for one clinical decision. It takes the Context and
yields what it decided: a Recommendation, a NotRecommended (with the reason) or a
MissingItem (an unknown that would change the decision). Each carries its citations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bonemet.knowledge.citations import Citation, unique_citations
from bonemet.knowledge.guideline_sources import Fact
from bonemet.model import Dose, MissingItem, NotRecommended, Recommendation
from bonemet.model.assessment import validator_of
from bonemet.model.vocabulary import Code, Priority, Step

Finding = Recommendation | NotRecommended | MissingItem

# Every rule builds its findings through these (see `validator_of`).
_recommendation = validator_of(Recommendation)
_not_recommended = validator_of(NotRecommended)
_missing_item = validator_of(MissingItem)


def recommend(
    code: Code,
    priority: Priority,
    step: Step,
    text: str,
    reasons: Sequence[str],
    citations: Sequence[Citation],
    lesion_index: int | None = None,
    dose: Dose | None = None,
) -> Recommendation:
    return _recommendation(
        {
            "code": code,
            "priority": priority,
            "step": step,
            "text": text,
            "reasons": reasons,
            "citations": [c.full_text for c in citations],
            "lesion_index": lesion_index,
            "dose": dose,
        }
    )


def decline(
    code: Code,
    reasons: Sequence[str],
    citations: Sequence[Citation],
    lesion_index: int | None = None,
) -> NotRecommended:
    return _not_recommended(
        {
            "code": code,
            "reasons": reasons,
            "citations": [c.full_text for c in citations],
            "lesion_index": lesion_index,
        }
    )


def missing(field: str, why: str) -> MissingItem:
    return _missing_item({"field": field, "why": why})


def sources_of(found: Iterable[Fact]) -> list[Citation]:
    """The citation behind each fact, once each, in the order first used."""
    return unique_citations(fact.citation for fact in found)


def lesion_label(index: int, bone: str, detail: str | None) -> str:
    """'lesion 1 (femur, peritrochanteric)': 1-based for people, as clinicians count."""
    where = f"{bone}, {detail}" if detail else bone
    return f"lesion {index + 1} ({where})"


# A rule maps the context to its findings; the type parameter avoids an import cycle.
Rule = Callable[..., Iterable[Finding]]
