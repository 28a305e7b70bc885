"""Small, tolerant accessors over FHIR JSON (plain dicts).

The reader walks plain dicts rather than validated models: CDS Hooks prefetch must be
read in milliseconds, and one malformed resource must not cost the whole record. Every
accessor returns None or an empty list for anything missing or of the wrong shape.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Resource = dict[str, Any]


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def number_of(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def flatten(source: Any) -> Iterator[Resource]:
    """Every resource in a Bundle (recursively: prefetch holds searchset Bundles), a list or a resource."""
    if isinstance(source, Mapping):
        if source.get("resourceType") == "Bundle":
            for entry in as_list(source.get("entry")):
                yield from flatten(as_dict(entry).get("resource"))
        elif isinstance(source.get("resourceType"), str):
            yield dict(source)
    elif isinstance(source, Iterable) and not isinstance(source, str | bytes):
        for item in source:
            yield from flatten(item)


def reference_of(resource: Resource) -> str:
    """'Observation/123', or the type alone when the resource has no id (never patient data)."""
    kind = str(resource.get("resourceType", "Resource"))
    rid = text_of(resource.get("id"))
    return f"{kind}/{rid}" if rid else kind


def codings(concept: Any) -> list[dict[str, Any]]:
    return [as_dict(c) for c in as_list(as_dict(concept).get("coding")) if isinstance(c, dict)]


def concept_text(concept: Any) -> str:
    """The concept's text, else its codings' displays, for reading free-text sites and names."""
    c = as_dict(concept)
    parts = [text_of(c.get("text")) or ""]
    parts += [text_of(coding.get("display")) or "" for coding in codings(c)]
    return " ".join(p for p in parts if p)


def parse_date(value: Any) -> dt.date | None:
    """The calendar date of a FHIR date, dateTime or instant (partial dates: first day)."""
    text = text_of(value)
    if text is None:
        return None
    try:
        if len(text) == 4:
            return dt.date(int(text), 1, 1)
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_instant(value: Any) -> dt.datetime | None:
    """A sortable timestamp for 'newest first' comparisons; dates become midnight UTC."""
    text = text_of(value)
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        day = parse_date(text)
        if day is None:
            return None
        moment = dt.datetime(day.year, day.month, day.day)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def clinical_time(resource: Resource) -> dt.datetime | None:
    """When the fact was true: effective/onset/performed/authored, else when it was recorded."""
    for key in (
        "effectiveDateTime",
        "effectiveInstant",
        "onsetDateTime",
        "performedDateTime",
        "occurrenceDateTime",
        "authoredOn",
        "dateAsserted",
        "started",
        "issued",
        "recordedDate",
    ):
        moment = parse_instant(resource.get(key))
        if moment is not None:
            return moment
    for key in ("effectivePeriod", "performedPeriod", "onsetPeriod"):
        period = as_dict(resource.get(key))
        moment = parse_instant(period.get("end")) or parse_instant(period.get("start"))
        if moment is not None:
            return moment
    return None


def attachment_text(attachment: Any) -> str | None:
    """Plain text of an Attachment (base64 `data` of a text/* type); None for other content."""
    a = as_dict(attachment)
    content_type = str(a.get("contentType", "text/plain")).lower()
    data = text_of(a.get("data"))
    if data is None or not content_type.startswith("text/"):
        return None
    try:
        return base64.b64decode(data, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
