"""Form values <-> Case: parse what a clinician typed, with an error per field; and back.

Form values are a flat mapping from control name (the Case path, `lesions[0].pain`) to the
text typed. Parsing converts units into the Case's units, then lets the Case model judge
the values, and maps each model error back to the control it came from, in words that name
the problem. `case_to_values` is the inverse, used to carry a case through hidden fields
(missing-data questions, the handout) and to refill the form.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from bonemet.model import Case
from bonemet.web.fields import (
    SECTIONS,
    UNIT_SUFFIX,
    FieldSpec,
    Section,
    Unit,
    spec_for_name,
)

MAX_VALUE_CHARS = 100_000  # the longest Case text field (a report) is 100,000 characters
MAX_LIST_ENTRIES = 50  # lesions or imaging studies on one form
LIST_SECTIONS = ("lesions", "imaging")


@dataclass(frozen=True)
class FieldError:
    name: str  # control name, or a list entry ('lesions[1]') for an error about the whole entry
    label: str
    message: str


@dataclass(frozen=True)
class Conversion:
    """A value typed in another unit and converted into the Case's unit (shown to the user)."""

    label: str
    typed: str
    converted: str


@dataclass(frozen=True)
class ParsedForm:
    case: Case | None
    errors: tuple[FieldError, ...]
    conversions: tuple[Conversion, ...] = ()
    # Form index of each lesion in the case (empty form entries are skipped, so they can differ).
    lesion_form_index: tuple[int, ...] = ()

    def errors_by_name(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for error in self.errors:
            found.setdefault(error.name, []).append(error.message)
        return found


class _BadValueError(ValueError):
    pass


# --- Reading the submitted pairs --------------------------------------------------------------


def is_case_control(name: str) -> bool:
    base = name.removesuffix(UNIT_SUFFIX)
    return spec_for_name(base) is not None


def values_from_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Keep the controls the form knows (later duplicates win); other fields are ignored."""
    values: dict[str, str] = {}
    for name, value in pairs:
        if is_case_control(name):
            values[name] = value[:MAX_VALUE_CHARS]
    return values


def list_indices(values: Mapping[str, str], list_name: str) -> list[int]:
    """The entry indices present in the form for 'lesions' or 'imaging', sorted."""
    pattern = re.compile(rf"^{list_name}\[(\d+)\]\.")
    found = {int(m.group(1)) for name in values if (m := pattern.match(name))}
    return sorted(i for i in found if i < MAX_LIST_ENTRIES)


def _entry_has_data(values: Mapping[str, str], list_name: str, index: int) -> bool:
    prefix = f"{list_name}[{index}]."
    return any(v.strip() for k, v in values.items() if k.startswith(prefix) and not k.endswith(UNIT_SUFFIX))


def renumbered(
    values: Mapping[str, str], list_name: str, *, drop: int | None = None, add: bool = False
) -> dict[str, str]:
    """The values with one list entry removed (and the rest renumbered) or an empty one added."""
    kept = [i for i in list_indices(values, list_name) if i != drop]
    out = {k: v for k, v in values.items() if not k.startswith(f"{list_name}[")}
    for new, old in enumerate(kept):
        prefix = f"{list_name}[{old}]."
        for key, value in values.items():
            if key.startswith(prefix):
                out[f"{list_name}[{new}]." + key.removeprefix(prefix)] = value
    if add and len(kept) < MAX_LIST_ENTRIES:
        first = next(s for s in SECTIONS if s.key == list_name).fields[0]
        out[first.at(len(kept))] = ""
    return out


# --- Converting one value ----------------------------------------------------------------------


_RATIO = re.compile(r"^(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")


def _number_hint(spec: FieldSpec | None) -> str:
    """What to type, never an example outside the field's range."""
    if spec is not None and any(unit.code == "percent" for unit in spec.units):
        return "enter a number, a fraction such as 2/3, or a percentage such as 67%"
    if spec is not None and spec.minimum is not None and spec.maximum is not None:
        return f"enter a number from {spec.minimum:g} to {spec.maximum:g}"
    return "enter a number, for example 1.2"


def _number(raw: str, spec: FieldSpec | None = None) -> float:
    text = raw.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma, as typed in much of Europe
    try:
        number = float(text)
    except ValueError:
        raise _BadValueError(_number_hint(spec)) from None
    if math.isnan(number) or math.isinf(number):
        raise _BadValueError("enter a finite number")
    return number


def _unit_for(spec: FieldSpec, name: str, values: Mapping[str, str]) -> Unit | None:
    if not spec.units:
        return None
    code = values.get(name + UNIT_SUFFIX, "") or spec.units[0].code
    for unit in spec.units:
        if unit.code == code:
            return unit
    raise _BadValueError(f"unknown unit {code!r}; choose one of " + ", ".join(u.label for u in spec.units))


def _converted(number: float, unit: Unit) -> float:
    # Rounded to 4 decimals: finer than any laboratory reports, so nothing is lost.
    return round(number * unit.factor, 4)


def _value(spec: FieldSpec, raw: str) -> Any:
    kind = spec.kind
    if kind in ("number", "integer"):
        number = _number(raw, spec)
        if kind == "integer":
            if not number.is_integer():
                raise _BadValueError("enter a whole number")
            return int(number)
        return number
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise _BadValueError("choose Yes, No or Unknown")
        return raw == "true"
    if kind == "select":
        if raw not in {c.value for c in spec.choices}:
            raise _BadValueError("choose one of the listed options")
        return raw
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise _BadValueError("enter a date as YYYY-MM-DD, for example 2026-11-25") from None
    if kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        if spec.path == PRIOR_RADIOTHERAPY:
            return [_course_from_line(line) for line in lines]
        return lines
    return raw.strip()


# Earlier radiotherapy courses are typed one per line: "site: T9-T11; dose: 8 Gy; fractions: 1;
# completed: 2026-05-12" (bone, level and side may be added the same way). The model checks values.
PRIOR_RADIOTHERAPY = "treatment.prior_radiotherapy"
_COURSE_KEYS = {
    "site": "site",
    "bone": "bone",
    "level": "level",
    "side": "side",
    "dose": "dose_gy",
    "fractions": "fractions",
    "completed": "completed_on",
}
_COURSE_ORDER = ("site", "bone", "level", "side", "dose", "fractions", "completed")


def _course_from_line(line: str) -> dict[str, Any]:
    course: dict[str, Any] = {}
    for index, part in enumerate(p.strip() for p in line.split(";")):
        if not part:
            continue
        key, sep, value = part.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep and index == 0:
            key, value = "site", part
        if key not in _COURSE_KEYS or not value:
            raise _BadValueError(
                f"'{part}' is not understood: write one course per line as "
                "'site: T9-T11; dose: 8 Gy; fractions: 1; completed: 2026-05-12' "
                f"(keys: {', '.join(_COURSE_ORDER)})"
            )
        if key == "dose":
            value = value.removesuffix("Gy").removesuffix("gy").strip()
        course[_COURSE_KEYS[key]] = value
    return course


def _course_text(course: BaseModel) -> str:
    parts = []
    for key in _COURSE_ORDER:
        value = getattr(course, _COURSE_KEYS[key])
        if value is None:
            continue
        text = _text(value)
        parts.append(f"{key}: {text} Gy" if key == "dose" else f"{key}: {text}")
    return "; ".join(parts)


def _unit_text(unit: Unit | None) -> str:
    return f" {unit.label}" if unit is not None and unit.code not in ("fraction",) else ""


def _share_typed(spec: FieldSpec, raw: str) -> tuple[str, Unit | None]:
    """A share of the bone typed as '2/3' or '67%': the number and the unit it was typed in,
    whatever the unit selector says (the text is unambiguous)."""
    units = {unit.code: unit for unit in spec.units}
    if "percent" not in units or "fraction" not in units:
        return raw, None
    text = raw.strip().replace(" ", "")
    if text.endswith("%"):
        return text[:-1], units["percent"]
    ratio = _RATIO.match(text)
    if ratio:
        numerator, denominator = float(ratio.group(1)), float(ratio.group(2))
        if denominator == 0:
            raise _BadValueError("the fraction divides by zero; enter, for example, 2/3")
        return f"{numerator / denominator:.4f}", units["fraction"]
    return raw, None


# --- The whole form -------------------------------------------------------------------------


@dataclass
class _Builder:
    values: Mapping[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)
    # Case list index -> form index (empty form entries are skipped, so they can differ).
    form_index: dict[tuple[str, int], int] = field(default_factory=dict)
    # Control name -> (typed text, unit) for values that were converted.
    typed: dict[str, tuple[str, Unit]] = field(default_factory=dict)

    def read(self, spec: FieldSpec, name: str, target: dict[str, Any]) -> None:
        raw = self.values.get(name, "")
        if not raw.strip():
            return
        try:
            raw, forced = _share_typed(spec, raw)
            value = _value(spec, raw)
            unit = forced or _unit_for(spec, name, self.values)
        except _BadValueError as problem:
            self.errors.append(FieldError(name, spec.label, f"{spec.label}: {problem}"))
            return
        numeric = isinstance(value, float | int) and not isinstance(value, bool)
        if numeric and unit is not None and unit.factor != 1.0:
            converted = _converted(float(value), unit)
            self.typed[name] = (raw.strip(), unit)
            self.conversions.append(
                Conversion(spec.label, f"{raw.strip()} {unit.label}", f"{converted:g}{_unit_text(spec.units[0])}")
            )
            value = converted
        target[spec.name] = value

    def read_section(self, section: Section) -> None:
        if section.key == "case":
            for spec in section.fields:
                self.read(spec, spec.path, self.data)
            return
        if section.repeated:
            self.read_list(section)
            return
        target: dict[str, Any] = {}
        for spec in section.fields:
            self.read(spec, spec.path, target)
        if target:
            self.data[section.key] = target

    def read_list(self, section: Section) -> None:
        entries: list[dict[str, Any]] = []
        for form_index in list_indices(self.values, section.key):
            if not _entry_has_data(self.values, section.key, form_index):
                continue
            entry: dict[str, Any] = {}
            errors_before = len(self.errors)
            for spec in section.fields:
                self.read(spec, spec.at(form_index), entry)
            first = section.fields[0]  # bone / modality: required for an entry
            if first.name not in entry and len(self.errors) == errors_before:
                self.errors.append(
                    FieldError(first.at(form_index), first.label, f"{first.label}: choose one for this entry")
                )
            self.form_index[(section.key, len(entries))] = form_index
            entries.append(entry)
        if entries:
            self.data[section.key] = entries

    def control_for(self, loc: tuple[int | str, ...]) -> tuple[str, FieldSpec | None]:
        """The control a model error location points at."""
        parts = list(loc)
        if parts and parts[0] in LIST_SECTIONS and len(parts) >= 2 and isinstance(parts[1], int):
            form_index = self.form_index.get((str(parts[0]), parts[1]), parts[1])
            if len(parts) == 2:
                return f"{parts[0]}[{form_index}]", None
            name = f"{parts[0]}[{form_index}].{parts[2]}"
        else:
            name = ".".join(str(p) for p in parts if isinstance(p, str))
        found = spec_for_name(name)
        return name, found[0] if found else None

    def model_errors(self, item: Mapping[str, Any]) -> list[FieldError]:
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        name, spec = self.control_for(loc)
        if spec is None and name.startswith("lesions[") and "apply only to spine" in str(item["msg"]):
            return self.spine_fields_on_limb(name)
        return [self.model_error(name, spec, item)]

    def spine_fields_on_limb(self, entry: str) -> list[FieldError]:
        """The lesion validator's complaint, put on each spine-only control that was filled."""
        bone = self.values.get(f"{entry}.bone", "")
        lesions = next(s for s in SECTIONS if s.key == "lesions")
        return [
            FieldError(
                f"{entry}.{spec.name}",
                spec.label,
                f"{spec.label}: applies only to spine or sacrum lesions, and this lesion is in the {bone}; "
                "clear it or change the bone",
            )
            for spec in lesions.fields
            if spec.group == "spine" and self.values.get(f"{entry}.{spec.name}", "").strip()
        ] or [FieldError(entry, _entry_label(entry), f"{_entry_label(entry)}: spine fields on a limb bone")]

    def model_error(self, name: str, spec: FieldSpec | None, item: Mapping[str, Any]) -> FieldError:
        label = spec.label if spec is not None else _entry_label(name)
        message = _model_message(item, spec)
        typed = self.typed.get(name)
        if typed is not None and spec is not None and item["type"] in _LIMIT_TYPES:
            raw, unit = typed
            message += f" (you entered {raw} {unit.label}, which is {item.get('input')!s}{_unit_text(spec.units[0])})"
        elif spec is not None and item["type"] in _LIMIT_TYPES:
            message += _other_unit_hint(spec, item)
        return FieldError(name, label, f"{label}: {message}")


_LIMIT_TYPES = frozenset({"greater_than_equal", "greater_than", "less_than_equal", "less_than"})


def _other_unit_hint(spec: FieldSpec, item: Mapping[str, Any]) -> str:
    """'124 looks like µmol/L': the first other unit in which a number over the maximum would fit."""
    typed, ctx = item.get("input"), item.get("ctx", {})
    limit = ctx.get("le", ctx.get("lt"))
    if not isinstance(typed, int | float) or isinstance(typed, bool) or not isinstance(limit, int | float):
        return ""
    for unit in spec.units[1:]:
        converted = typed * unit.factor
        if 0 < converted <= limit:
            shown = f"{typed:g}"
            how = f"type {shown}%" if unit.code == "percent" else f"choose {unit.label} beside the value"
            return f"; {shown} looks like {unit.label}: {how}"
    return ""


def _entry_label(name: str) -> str:
    match = re.match(r"^(lesions|imaging)\[(\d+)\]$", name)
    if match:
        noun = "Lesion" if match.group(1) == "lesions" else "Imaging study"
        return f"{noun} {int(match.group(2)) + 1}"
    return name or "Case"


def _limit(value: Any, spec: FieldSpec | None) -> str:
    unit = _unit_text(spec.units[0]) if spec is not None and spec.units else ""
    return f"{value:g}{unit}" if isinstance(value, int | float) else f"{value}{unit}"


def _model_message(item: Mapping[str, Any], spec: FieldSpec | None) -> str:
    kind = item["type"]
    ctx = item.get("ctx", {})
    if kind == "greater_than_equal":
        return f"must be at least {_limit(ctx['ge'], spec)}"
    if kind == "greater_than":
        return f"must be more than {_limit(ctx['gt'], spec)}"
    if kind == "less_than_equal":
        return f"must be at most {_limit(ctx['le'], spec)}"
    if kind == "less_than":
        return f"must be less than {_limit(ctx['lt'], spec)}"
    if kind == "multiple_of":
        return f"must be a multiple of {ctx['multiple_of']:g}"
    if kind == "missing":
        return "is required"
    if kind in ("string_too_long", "too_long"):
        return f"is too long (at most {ctx.get('max_length')})"
    message = str(item["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def parse_case_form(values: Mapping[str, str]) -> ParsedForm:
    """The Case from form values, or every problem, each tied to its control."""
    builder = _Builder(values)
    for section in SECTIONS:
        builder.read_section(section)
    conversions = tuple(builder.conversions)
    try:
        case = Case.model_validate(builder.data)
    except ValidationError as error:
        # The values that could be read are judged too, so every problem is listed at once.
        problems = [e for item in error.errors(include_url=False) for e in builder.model_errors(item)]
        already = {e.name for e in builder.errors}  # a value that could not be read is reported once
        problems = [e for e in problems if e.name not in already]
        return ParsedForm(None, _in_form_order([*builder.errors, *problems]), conversions)
    if builder.errors:
        return ParsedForm(None, _in_form_order(builder.errors), conversions)
    lesion_form_index = tuple(builder.form_index[("lesions", k)] for k in range(len(case.lesions)))
    return ParsedForm(case, (), conversions, lesion_form_index)


def _in_form_order(errors: list[FieldError]) -> tuple[FieldError, ...]:
    """Errors in the order the controls appear on the form, as the error summary lists them."""
    order = {name: position for position, name in enumerate(_control_order())}

    def position(error: FieldError) -> tuple[int, str]:
        base = re.sub(r"\[\d+\]", "[]", error.name)
        return order.get(base, order.get(base.split(".")[0], len(order))), error.name

    return tuple(sorted(errors, key=position))


def _control_order() -> list[str]:
    return [spec.path for section in SECTIONS for spec in section.fields]


def lenient_case(values: Mapping[str, str]) -> ParsedForm:
    """A Case from whatever is valid, leaving out the controls with errors (for the live preview).

    `errors` lists what was left out. A lesion-level error (spine fields on a limb bone) drops
    the fields that do not belong to the bone chosen.
    """
    current = dict(values)
    dropped: list[FieldError] = []
    for _ in range(10):  # each round removes at least one control, so this ends quickly
        parsed = parse_case_form(current)
        if parsed.case is not None:
            return ParsedForm(parsed.case, tuple(dropped), parsed.conversions, parsed.lesion_form_index)
        dropped.extend(parsed.errors)
        for error in parsed.errors:
            _drop_control(current, error.name)
    return ParsedForm(Case(), tuple(dropped))


def _drop_control(values: dict[str, str], name: str) -> None:
    if name in values:
        values[name] = ""
        return
    match = re.match(r"^lesions\[(\d+)\]$", name)
    if match:  # the lesion's own validator: fields of the wrong bone group
        index = int(match.group(1))
        section = next(s for s in SECTIONS if s.key == "lesions")
        for spec in section.fields:
            if spec.group == "spine":
                values[spec.at(index)] = ""
        return
    for key in [k for k in values if k.startswith(name)]:
        values[key] = ""


# --- Case -> form values ----------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(_course_text(v) if isinstance(v, BaseModel) else str(v) for v in value)
    return str(value)


def _put(values: dict[str, str], name: str, value: Any) -> None:
    if value is None or value == []:
        return
    values[name] = _text(value)


def case_to_values(case: Case) -> dict[str, str]:
    """The form values that parse back into this case (numbers in the Case's units)."""
    values: dict[str, str] = {}
    for section in SECTIONS:
        if section.key == "case":
            for spec in section.fields:
                _put(values, spec.path, getattr(case, spec.name))
        elif section.repeated:
            entries: list[BaseModel] = getattr(case, section.key)
            for index, entry in enumerate(entries):
                for spec in section.fields:
                    _put(values, spec.at(index), getattr(entry, spec.name))
        else:
            part: BaseModel = getattr(case, section.key)
            for spec in section.fields:
                _put(values, spec.path, getattr(part, spec.name))
    return values
