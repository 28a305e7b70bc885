"""A target's status from its ConText modifiers.

Precedence, strongest first: family (not a finding of this patient), hypothetical
('evaluate for', 'impending'), possible ('cannot be excluded'), negated, historical. The
uncertain cue wins over negation because radiology's uncertainty phrases are built from
negations ('metastasis is not excluded', 'cannot rule out').
"""

from __future__ import annotations

from spacy.tokens import Span

from bonemet.model.vocabulary import FindingStatus


def mention_status(span: Span) -> FindingStatus | None:
    """The status ConText gave this target; None for a family member's condition."""
    extensions = span._
    if extensions.is_family:
        return None
    if extensions.is_hypothetical:
        return FindingStatus.hypothetical
    if extensions.is_uncertain:
        return FindingStatus.possible
    if extensions.is_negated:
        return FindingStatus.negated
    if extensions.is_historical:
        return FindingStatus.historical
    return FindingStatus.affirmed
