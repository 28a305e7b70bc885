"""The building blocks of every pathway rule.

A rule is a small function named for one clinical decision. It takes the Context and
yields what it decided: a Recommendation, a NotRecommended (with the reason) or a
MissingItem (an unknown that would change the decision). Each carries its citations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bonemet.knowledge.citations import Citation
from bonemet.model import Dose, MissingItem, NotRecommended, Recommendation
from bonemet.model.vocabulary import Code, Priority, Step

Finding = Recommendation | NotRecommended | MissingItem


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
    return Recommendation(
        code=code,
        priority=priority,
        step=step,
        text=text,
        reasons=list(reasons),
        citations=[str(c) for c in citations],
        lesion_index=lesion_index,
        dose=dose,
    )


def decline(
    code: Code,
    reasons: Sequence[str],
    citations: Sequence[Citation],
    lesion_index: int | None = None,
) -> NotRecommended:
    return NotRecommended(
        code=code,
        reasons=list(reasons),
        citations=[str(c) for c in citations],
        lesion_index=lesion_index,
    )


def missing(field: str, why: str) -> MissingItem:
    return MissingItem(field=field, why=why)


def lesion_label(index: int, bone: str, detail: str | None) -> str:
    """'lesion 1 (femur, peritrochanteric)': 1-based for people, as clinicians count."""
    where = f"{bone}, {detail}" if detail else bone
    return f"lesion {index + 1} ({where})"


# A rule maps the context to its findings; the type parameter avoids an import cycle.
Rule = Callable[..., Iterable[Finding]]
