"""medspaCy's ConText, applied one sentence at a time.

ConText scopes never cross a sentence here (the pipeline sets no global `max_scope`, so every
modifier's scope is its sentence, narrowed by a rule's own `max_scope`), yet the stock component
compares every target in the report with every modifier in it: a 100,000-character report made
1.5 million comparisons that could never match. This component builds medspaCy's own ConTextGraph
per sentence, so the edges are the same and the work grows with the report, not its square.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from medspacy.context import ConText
from medspacy.context.context_graph import ConTextGraph
from medspacy.context.context_modifier import ConTextModifier
from spacy.language import Language
from spacy.tokens import Doc, Span


@Language.factory("bonemet_context")
class WindowedConText(ConText):  # type: ignore[misc]
    def __call__(self, doc: Doc, targets: str | None = None) -> Doc:
        spans: list[Span] = list(self._targets(doc, targets))
        matcher = self._ConText__matcher  # the parent's phrase matcher and rule map
        modifiers = [
            ConTextModifier(matcher.rule_map[self.nlp.vocab[match_id].text], start, end, doc, max_scope=self.max_scope)
            for match_id, start, end in matcher(doc)
        ]
        windows = (
            {0: (spans, modifiers)}
            if len(spans) * len(modifiers) <= _ONE_GRAPH_AT_MOST
            else _by_sentence(doc, spans, modifiers)
        )
        edges: list[tuple[Span, ConTextModifier]] = []
        for window_targets, window_modifiers in windows.values():
            if not window_targets or not window_modifiers:
                continue
            graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
            graph.targets = window_targets
            graph.modifiers = window_modifiers
            graph.update_scopes()
            graph.apply_modifiers()
            edges += graph.edges
        whole = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        whole.targets, whole.modifiers, whole.edges = spans, modifiers, edges
        for target, modifier in edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(edges)
        doc._.context_graph = whole
        return doc

    def _targets(self, doc: Doc, targets: str | None) -> Any:
        if targets:
            return getattr(doc._, targets)
        if self.input_span_type == "ents":
            return doc.ents
        return doc.spans[self.span_group_name]


# Below this many target-modifier pairs one graph is cheaper than finding the sentences (same edges either way).
_ONE_GRAPH_AT_MOST = 400


def _by_sentence(
    doc: Doc, spans: list[Span], modifiers: list[ConTextModifier]
) -> dict[int, tuple[list[Span], list[ConTextModifier]]]:
    starts = [sentence.start for sentence in doc.sents]
    windows: dict[int, tuple[list[Span], list[ConTextModifier]]] = {}
    for span in spans:
        windows.setdefault(bisect_right(starts, span.start), ([], []))[0].append(span)
    for modifier in modifiers:
        windows.setdefault(bisect_right(starts, modifier.modifier_span[0]), ([], []))[1].append(modifier)
    return windows
