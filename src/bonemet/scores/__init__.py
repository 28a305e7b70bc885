"""Validated scores, one module each: compute(items) -> ScoreResult, items_from_case(case, ...)."""
