"""The clinician pages: case entry, assessment, patient handout, reference; and the live score API.

Server-rendered with Jinja2 (autoescaped, no inline script or style, so a strict Content
Security Policy holds). Every page works with JavaScript off; static/web.js only adds the
live score preview and shows the lesion fields that fit the bone chosen. Patient data
travels in POST bodies (never in URLs) and pages are sent with `Cache-Control: no-store`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined

from bonemet import __version__
from bonemet.examples import example_paths
from bonemet.fhir.report_reader import enrich_case_function
from bonemet.model import Assessment, Case, FactFromReport, parse_case
from bonemet.model.vocabulary import CODE_MEANING, LONG_BONES, SPINAL_BONES
from bonemet.pathway import assess
from bonemet.render.labels import field_label
from bonemet.web import charts, reference
from bonemet.web.errors import BrowserErrorPages
from bonemet.web.fields import SECTION_BY_KEY, SECTIONS, UNIT_SUFFIX, control_id, group_for_bone
from bonemet.web.formdata import FormTooLargeError, SubmittedForm, UnreadableFormError, read_form
from bonemet.web.forms import (
    FieldError,
    ParsedForm,
    case_to_values,
    lenient_case,
    list_indices,
    parse_case_form,
    renumbered,
    values_from_pairs,
)
from bonemet.web.handout import build_handout, handout_pdf
from bonemet.web.views import (
    Preview,
    grouped_questions,
    lesion_label,
    plan_page,
    preview_scores,
    resolve_source,
    score_view,
    source_view,
)

STATIC_DIR = Path(__file__).parent / "static"

# Pages carry patient data: not cached, not framed, no referrer; scripts and styles only
# from this server, so an injected <script> or style attribute would not run.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

T = TypeVar("T")

router = APIRouter(tags=["web"])

_env = Environment(
    loader=PackageLoader("bonemet.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["field_label"] = field_label
_env.globals.update(
    control_id=control_id,
    field_label=field_label,
    group_for_bone=group_for_bone,
    unit_suffix=UNIT_SUFFIX,
    version=__version__,
    sections=SECTIONS,
    section=SECTION_BY_KEY,
    spine_bones=" ".join(sorted(b.value for b in SPINAL_BONES)),
    limb_bones=" ".join(sorted(b.value for b in LONG_BONES)),
)


def render_page(template: str, **context: Any) -> str:
    return _env.get_template(template).render(**context)


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render_page(template, **context), status_code=status, headers=SECURITY_HEADERS)


# --- Examples -------------------------------------------------------------------------------


def _examples() -> dict[str, Path]:
    return {path.stem: path for path in example_paths()}


def _example_case(name: str | None) -> Case | None:
    path = _examples().get(name or "")
    return parse_case(path.read_text(encoding="utf-8")) if path is not None else None


# --- Assessing -----------------------------------------------------------------------------------


@dataclass
class Assessed:
    case: Case  # as assessed (after the report reader added what it read)
    entered: Case  # as entered; carried in hidden fields to re-run
    assessment: Assessment
    notes: list[str] = field(default_factory=list)
    unknown_codes: list[str] = field(default_factory=list)


def _read_reports(case: Case, notes: list[str]) -> tuple[Case, list[FactFromReport]]:
    if not any(study.report_text for study in case.imaging):
        return case, []
    enrich = enrich_case_function()
    if enrich is None:
        notes.append("The report reader is not available: the report text was kept but not read.")
        return case, []
    enriched, facts = enrich(case)
    return enriched, list(facts)


def _assess(
    case: Case,
    *,
    entered: Case | None = None,
    facts: list[FactFromReport] | None = None,
    notes: list[str] | None = None,
) -> Assessed:
    notes = notes if notes is not None else []
    if facts is None:
        assessed_case, facts = _read_reports(case, notes)
    else:
        assessed_case = case
    assessment = assess(assessed_case)
    if facts and not assessment.facts_from_reports:
        assessment = assessment.model_copy(update={"facts_from_reports": facts})
    return Assessed(assessed_case, entered or case, assessment, notes)


# --- Limits and CPU work (issue 13: the pages obey the service's limits, and heavy work runs off
# the event loop). The service puts its state on the app; without it (the pages mounted on
# another app) the defaults below apply and the work runs in a thread.
DEFAULT_MAX_REPORT_CHARS = 100_000


def _service(request: Request) -> Any:
    return getattr(request.app.state, "bonemet", None)


async def _off_loop(request: Request, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    service = _service(request)
    if service is not None:
        result: T = await service.run_cpu(function, *args, **kwargs)
        return result
    return await asyncio.to_thread(function, *args, **kwargs)


def _report_problem(request: Request, characters: int, where: str) -> str | None:
    service = _service(request)
    if service is not None:
        problem: str | None = service.report_problem(characters, where)
        return problem
    if characters <= DEFAULT_MAX_REPORT_CHARS:
        return None
    return f"{where}: {characters} characters of report text; at most {DEFAULT_MAX_REPORT_CHARS} are read per request"


def _report_characters(case: Case) -> int:
    return sum(len(study.report_text or "") for study in case.imaging)


async def _assessed(request: Request, case: Case) -> Assessed | HTMLResponse:
    """`_assess` off the event loop, or a 422 page when the report text is over the limit."""
    problem = _report_problem(request, _report_characters(case), "Report text")
    if problem is not None:
        return _page("message.html", 422, title="Report text too long", message=problem)
    return await _off_loop(request, _assess, case)


def _assessment_page(result: Assessed, status: int = 200) -> HTMLResponse:
    a = result.assessment
    patient_questions, question_table = grouped_questions(a.missing, result.case)
    lesion_cards: dict[int, list[Any]] = {}
    patient_cards = []
    for score in a.scores:
        if score.lesion_index is None:
            patient_cards.append(score_view(score))
        else:
            lesion_cards.setdefault(score.lesion_index, []).append(score_view(score))
    return _page(
        "assessment.html",
        status,
        title="Assessment",
        a=a,
        case=result.case,
        hidden=case_to_values(result.entered),
        plan=plan_page(a, result.case),
        not_recommended=[
            {
                "code": n.code.value,
                "meaning": CODE_MEANING.get(n.code, n.code.value),
                "reasons": n.reasons,
                "sources": [resolve_source(c) for c in n.citations],
                "lesion": lesion_label(result.case, n.lesion_index),
            }
            for n in a.not_recommended
        ],
        questions=patient_questions,
        question_table=question_table,
        lesion_cards=[(lesion_label(result.case, i), cards) for i, cards in sorted(lesion_cards.items())],
        patient_cards=patient_cards,
        primaries=charts.primaries_chart(a.likely_primaries),
        survival=charts.survival_chart(a.prognosis),
        sources=[source_view(s) for s in a.sources],
        notes=result.notes,
        conflicts=a.input_conflicts,
        unknown_codes=result.unknown_codes,
        errors={},
    )


# --- Case entry ---------------------------------------------------------------------------------


def _indices(values: Mapping[str, str], list_name: str) -> list[int]:
    return list_indices(values, list_name) or [0]


def _form_page(
    values: Mapping[str, str],
    *,
    status: int = 200,
    parsed: ParsedForm | None = None,
    source: str = "form",
    fhir_error: str = "",
    focus: str = "",
) -> HTMLResponse:
    errors = parsed.errors if parsed is not None else ()
    by_name: dict[str, list[str]] = {}
    for error in errors:
        by_name.setdefault(error.name, []).append(error.message)
    main_values = values if source == "form" else {}
    report_values = values if source == "report" else {}
    lenient = lenient_case(main_values)
    preview: Preview = preview_scores(lenient.case or Case(), lenient.lesion_form_index)
    return _page(
        "case_form.html",
        status,
        title="Case entry" if not errors else "Case entry: please correct the errors",
        values=main_values,
        report_values=report_values,
        errors=by_name if source == "form" else {},
        report_errors=by_name if source == "report" else {},
        error_list=[e for e in errors if source in ("form", "report")],
        error_source=source,
        fhir_error=fhir_error,
        lesions=_indices(main_values, "lesions"),
        imaging=_indices(main_values, "imaging"),
        preview=preview,
        conversions=parsed.conversions if parsed is not None else (),
        examples=sorted(_examples()),
        focus=focus,
    )


@router.get("/", response_class=HTMLResponse, summary="Case entry form")
def case_entry(example: str | None = None) -> HTMLResponse:
    case = _example_case(example)
    return _form_page(case_to_values(case) if case is not None else {})


async def _submitted(request: Request) -> SubmittedForm | HTMLResponse:
    try:
        return await read_form(request)
    except FormTooLargeError as problem:
        return _page("message.html", 413, title="Form too large", message=str(problem))
    except UnreadableFormError as problem:
        return _page("message.html", 400, title="Form not readable", message=str(problem))


@router.post("/", response_class=HTMLResponse, summary="Case entry: add or remove entries, refresh, edit")
async def case_entry_action(request: Request) -> HTMLResponse:
    """Add or remove a lesion or imaging study, refresh the scores (no JavaScript), or reopen a
    case carried from the assessment page for editing."""
    form = await _submitted(request)
    if isinstance(form, HTMLResponse):
        return form
    values = values_from_pairs(form.pairs)
    action = form.get("action")
    focus = ""
    for list_name in ("lesions", "imaging"):
        if action == f"add-{list_name}":
            values = renumbered(values, list_name, add=True)
            focus = control_id(SECTION_BY_KEY[list_name].fields[0].at(_indices(values, list_name)[-1]))
        elif action.startswith(f"remove-{list_name}-") and action.rsplit("-", 1)[-1].isdigit():
            values = renumbered(values, list_name, drop=int(action.rsplit("-", 1)[-1]))
            focus = f"{list_name}-heading"
    return _form_page(values, focus=focus)


@router.post("/assessment", response_class=HTMLResponse, summary="Assess the case entered in the form")
async def assessment_from_form(request: Request) -> HTMLResponse:
    form = await _submitted(request)
    if isinstance(form, HTMLResponse):
        return form
    values = values_from_pairs(form.pairs)
    source = "report" if form.get("source") == "report" else "form"
    if source == "report" and not values.get("imaging[0].report_text", "").strip():
        missing = FieldError("imaging[0].report_text", "Report text", "Report text: paste the report to read")
        return _form_page(values, status=422, parsed=ParsedForm(None, (missing,)), source=source)
    parsed = parse_case_form(values)
    if parsed.case is None:
        return _form_page(values, status=422, parsed=parsed, source=source)
    result = await _assessed(request, parsed.case)
    if isinstance(result, HTMLResponse):
        return result
    return await _off_loop(request, _assessment_page, result)


@router.get("/assessment", response_class=HTMLResponse, response_model=None, summary="Assessment of an example")
def assessment_of_example(example: str | None = None) -> Response:
    case = _example_case(example)
    if case is None and example:
        # A mistyped or retired example name is said so, not silently replaced by the empty form.
        message = f"There is no example called “{example[:80]}”. The examples are listed at the top of case entry."
        return _page("message.html", 404, title="No such example", message=message)
    if case is None:
        return RedirectResponse("/", status_code=303)
    return _assessment_page(_assess(case))


@router.post("/assessment/fhir", response_class=HTMLResponse, summary="Assess a case read from a FHIR Bundle")
async def assessment_from_fhir(request: Request) -> HTMLResponse:
    form = await _submitted(request)
    if isinstance(form, HTMLResponse):
        return form
    upload = form.files.get("bundle")
    text = upload.content.decode("utf-8", "replace") if upload is not None and upload.content else ""
    text = text or form.get("bundle_text")
    if not text.strip():
        return _form_page({}, status=422, fhir_error="Choose a FHIR Bundle file (JSON) to upload.", source="fhir")
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as problem:
        return _form_page(
            {},
            status=422,
            fhir_error=f"The file is not valid JSON: {problem.msg} (line {problem.lineno}).",
            source="fhir",
        )
    except RecursionError:
        bundle = None  # nested too deep to read: the depth limit below names it
    service = _service(request)
    limit_problem = (
        "(file): JSON nested too deep to read (BONEMET_MAX_JSON_DEPTH)"
        if bundle is None
        else service.json_problem(bundle)
        if service is not None
        else None
    )
    if limit_problem is not None:
        return _form_page({}, status=422, fhir_error=f"The file is over a limit: {limit_problem}.", source="fhir")
    if not isinstance(bundle, dict | list):
        return _form_page({}, status=422, fhir_error="The file is not a FHIR Bundle or resource.", source="fhir")
    imported = await _off_loop(request, _import_unread, bundle)
    if imported.deceased:
        return _form_page({}, status=422, fhir_error=imported.warnings[0], source="fhir")
    too_long = _report_problem(request, _report_characters(imported.case), "DiagnosticReport text")
    if too_long is not None:
        return _form_page({}, status=422, fhir_error=f"The file is over a limit: {too_long}.", source="fhir")
    imported = await _off_loop(request, _read_imported, imported)
    notes = [f"FHIR import: {warning}" for warning in imported.warnings]
    unknown = [
        f"{u.resource_type}.{u.element}: {u.system or ''} {u.code or ''} {u.display or ''}".strip()
        for u in imported.unknown_codes
    ]
    result = await _off_loop(request, _assess, imported.case, facts=list(imported.facts_from_reports), notes=notes)
    result.unknown_codes = unknown
    return await _off_loop(request, _assessment_page, result)


def _import_unread(bundle: Any) -> Any:
    from bonemet.fhir import to_case  # the FHIR adapter, imported when first used

    return to_case(bundle, read_reports=False)


def _read_imported(imported: Any) -> Any:
    """The report texts read (within the limit, checked before), as `to_case` would have."""
    if not any(study.report_text for study in imported.case.imaging):
        return imported
    enrich = enrich_case_function()
    if enrich is None:
        note = "The report reader is not available: the report text was kept but not read."
        return imported.model_copy(update={"warnings": [*imported.warnings, note]})
    case, facts = enrich(imported.case)
    return imported.model_copy(update={"case": case, "facts_from_reports": list(facts)})


# --- Handout ---------------------------------------------------------------------------------------


async def _case_from_request(request: Request, example: str | None) -> Case | HTMLResponse:
    if request.method == "GET":
        case = _example_case(example)
        if case is None:
            return _page("message.html", 404, title="No case", message="Open the handout from an assessment.")
        return case
    form = await _submitted(request)
    if isinstance(form, HTMLResponse):
        return form
    parsed = parse_case_form(values_from_pairs(form.pairs))
    if parsed.case is None:
        return _form_page(values_from_pairs(form.pairs), status=422, parsed=parsed)
    return parsed.case


# One handler for both methods (an example by query, or the case posted from the form); two routes
# so that each method has its own OpenAPI operation id.
@router.get("/handout", response_class=HTMLResponse, summary="Patient handout")
@router.post("/handout", response_class=HTMLResponse, summary="Patient handout", operation_id="handout_page_post")
async def handout_page(request: Request, example: str | None = None) -> HTMLResponse:
    case = await _case_from_request(request, example)
    if isinstance(case, HTMLResponse):
        return case
    result = await _assessed(request, case)
    if isinstance(result, HTMLResponse):
        return result
    return _page(
        "handout.html",
        title="Patient handout",
        h=build_handout(result.assessment, result.case),
        hidden=case_to_values(case),
        example=example or "",
    )


@router.get("/handout.pdf", response_model=None, summary="Patient handout as PDF")
@router.post("/handout.pdf", response_model=None, summary="Patient handout as PDF", operation_id="handout_pdf_post")
async def handout_download(request: Request, example: str | None = None) -> Response:
    case = await _case_from_request(request, example)
    if isinstance(case, HTMLResponse):
        return case
    result = await _assessed(request, case)
    if isinstance(result, HTMLResponse):
        return result
    pdf = await _off_loop(request, lambda: handout_pdf(build_handout(result.assessment, result.case)))
    headers = {**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="bonemet-handout.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


# --- Reference ---------------------------------------------------------------------------------------


@router.get("/reference", response_class=HTMLResponse, summary="Reference: overview and search")
def reference_index(q: str = "") -> HTMLResponse:
    query = q[: reference.MAX_QUERY_CHARS]
    return _page(
        "reference_index.html",
        title="Reference" if not query else f"Reference search: {query}",
        overview=reference.OVERVIEW,
        topics=reference.TOPICS,
        q=query,
        hits=reference.search(query) if query.strip() else (),
    )


@router.get("/reference/{topic}", response_class=HTMLResponse, summary="Reference: one drug or topic")
def reference_topic(topic: str) -> HTMLResponse:
    found = reference.TOPIC_BY_SLUG.get(topic)
    if found is None:
        return _page("message.html", 404, title="Topic not found", message="There is no reference page by that name.")
    return _page("reference_topic.html", title=found.title, topic=found, q="")


# An icon, so browsers do not ask for a missing /favicon.ico (kept here: SVG is not package data).
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
    'fill="#10263d"/><path d="M9 10a3 3 0 1 1 4-2l6 6a3 3 0 1 1 2 4 3 3 0 1 1-4 2l-6-6a3 3 0 1 1-2-4z" '
    'fill="#fff"/></svg>'
)


@router.get("/favicon.svg", include_in_schema=False)
def favicon() -> Response:
    return Response(FAVICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


# --- Live score preview -------------------------------------------------------------------------------


@router.post("/web/api/scores", summary="Scores for the form as it stands (live preview)")
async def score_preview(request: Request) -> JSONResponse:
    """Form fields in, every score the engine would compute out, with the points of each item.
    Fields with errors are left out (and listed), so a half-filled form still previews."""
    try:
        form = await read_form(request)
    except (FormTooLargeError, UnreadableFormError) as problem:
        return JSONResponse({"error": str(problem)}, status_code=400, headers=SECURITY_HEADERS)
    parsed = lenient_case(values_from_pairs(form.pairs))
    body = preview_scores(parsed.case or Case(), parsed.lesion_form_index).as_json()
    body["left_out"] = [{"name": e.name, "message": e.message} for e in parsed.errors]
    body["conversions"] = [{"label": c.label, "typed": c.typed, "converted": c.converted} for c in parsed.conversions]
    return JSONResponse(body, headers=SECURITY_HEADERS)


def mount_web(app: FastAPI) -> None:
    """Add the pages and their static files (/static) to an app."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BrowserErrorPages)  # HTML 404/410 pages for browsers; JSON stays for API clients
