"""The bonemet web service: CDS Hooks 2.0, the JSON API, the assessment page, health.

`create_app(settings)` builds a FastAPI application. Every hook call is authenticated
(unless auth is explicitly disabled), every assessment is recorded in the audit store,
bad input is answered 422 with the path of each bad field, and nothing about the patient
is written to the logs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import fastapi_offline
import httpx
from fastapi import Body, Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bonemet import __version__
from bonemet.fhir import FhirImport, from_assessment, to_case
from bonemet.fhir.codes import BONEMET_BASE
from bonemet.fhir.report_reader import enrich_case_function, read_report_function, reader_installed
from bonemet.fhir.resources import flatten
from bonemet.model import Assessment, Case, CaseError
from bonemet.model.errors import field_path
from bonemet.pathway import assess
from bonemet.service.api_access import ApiGuard, RateLimitedError, api_auth_required
from bonemet.service.cards import HookResult, deceased_card, patient_view_cards
from bonemet.service.cds_models import (
    Card,
    CdsResponse,
    Coding,
    Discovery,
    FeedbackRequest,
    HookRequest,
    OrderSelectContext,
    OrderSignContext,
    PatientViewContext,
    ServiceDescription,
)
from bonemet.service.cds_models import Source as CardSource
from bonemet.service.hardening import (
    Limits,
    RequestLimits,
    SecurityHeaders,
    hashed_policy,
    json_limit_problem,
    scrub_access_log_queries,
)
from bonemet.service.offload import CpuPool, OverBudgetError, P, T
from bonemet.service.order_cards import draft_orders, order_cards
from bonemet.service.prefetch import FetchLimits, PreconditionFailedError, gather, prefetch_templates
from bonemet.service.security import (
    AuthError,
    JwksCache,
    MemoryReplayCache,
    ReplayCache,
    StoreReplayCache,
    TokenVerifier,
)
from bonemet.service.settings import Settings
from bonemet.service.smart import SmartLaunchError, smart_routes
from bonemet.store import AuditStore, Source

log = logging.getLogger("bonemet.service")

PATIENT_VIEW = "bonemet-patient-view"
ORDER_SELECT = "bonemet-order-select"
ORDER_SIGN = "bonemet-order-sign"


@dataclass(frozen=True)
class HookService:
    id: str
    hook: str
    title: str
    description: str
    context_model: type[PatientViewContext]


SERVICES: dict[str, HookService] = {
    PATIENT_VIEW: HookService(
        PATIENT_VIEW,
        "patient-view",
        "bonemet: metastatic bone disease",
        "Emergencies (cord compression, hypercalcaemia), care gaps (bone-modifying agent, dental "
        "examination, surgical opinion for a high Mirels or SINS score) and the full plan for patients "
        "with known or suspected bone metastases.",
        PatientViewContext,
    ),
    ORDER_SELECT: HookService(
        ORDER_SELECT,
        "order-select",
        "bonemet: checks on selected orders",
        "Zoledronic acid dose against creatinine clearance, denosumab with low calcium, vertebral "
        "augmentation with epidural tumour, imaging already done.",
        OrderSelectContext,
    ),
    ORDER_SIGN: HookService(
        ORDER_SIGN,
        "order-sign",
        "bonemet: checks before signing",
        "The same checks as order-select, on every draft order about to be signed.",
        OrderSignContext,
    ),
}


class BadInputError(Exception):
    """Input that cannot be used; `problems` name each bad field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ReadReportRequest(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=100_000, description="Radiology report text")]


class FhirAssessment(BaseModel):
    """What /api/assess/fhir read from the Bundle and what the engine made of it."""

    record_id: str | None
    case: Case
    assessment: Assessment
    unknown_codes: list[dict[str, Any]]
    warnings: list[str]
    provenance: dict[str, str] = Field(description="Case field -> the FHIR resource it was read from")


@dataclass
class ServiceState:
    settings: Settings
    store: AuditStore | None
    clock: Callable[[], float]
    client_factory: Callable[[], httpx.AsyncClient] | None = None
    # Where used JWT ids are kept when the audit store is off (red team B5): still a database, so
    # every worker shares it and a restart keeps it.
    replay_store: AuditStore | None = None
    cpu: CpuPool = field(init=False)
    guard: ApiGuard = field(init=False)
    _clients: dict[str, httpx.AsyncClient] = field(default_factory=dict, init=False)
    verifier: TokenVerifier = field(init=False)

    def __post_init__(self) -> None:
        tokens = self.store or self.replay_store
        replay: ReplayCache = (
            StoreReplayCache(tokens.remember_token, tokens.forget_expired_tokens)
            if tokens
            else MemoryReplayCache(self.clock)
        )
        jwks = JwksCache(lambda: self.client(_JWKS_POOL), self.settings.jwks_cache_seconds, self.clock)
        self.verifier = TokenVerifier(self.settings, replay, jwks, self.clock)
        self.cpu = CpuPool(self.settings.cpu_workers, self.settings.request_budget_seconds)
        self.guard = ApiGuard(self.settings, self.verifier)

    async def run_cpu(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """CPU-bound work off the event loop (the web pages call this too)."""
        return await self.cpu.run(function, *args, **kwargs)

    def report_problem(self, characters: int, where: str) -> str | None:
        """Over BONEMET_MAX_REPORT_CHARS: the problem, named with its setting (the web pages call this too)."""
        return _report_limit_problem(self, characters, where)

    def json_problem(self, data: Any) -> str | None:
        """The JSON depth and Bundle entry limits, for JSON that did not come as a JSON body (uploads)."""
        limits = Limits(self.settings.max_body_bytes, self.settings.max_json_depth, self.settings.max_bundle_entries)
        return json_limit_problem(data, limits)

    def client(self, pool: str) -> httpx.AsyncClient:
        """The outbound client for one pool: one per FHIR server, and one for JWK Sets (B1), each
        with its own bounded connections, so a slow server cannot starve the others."""
        client = self._clients.get(pool)
        if client is None:
            if len(self._clients) >= _MAX_POOLS:
                raise PreconditionFailedError("too many FHIR servers in use at once", [])
            if self.client_factory:
                client = self.client_factory()
            else:
                connections = self.settings.fhir_max_connections
                client = httpx.AsyncClient(
                    timeout=httpx.Timeout(self.settings.fhir_timeout_seconds),
                    limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
                    follow_redirects=False,
                )
            self._clients[pool] = client
        return client

    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC).date()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
        self.cpu.shutdown()


_JWKS_POOL = "jwks"
_MAX_POOLS = 256  # FHIR servers come from allow lists, so this is never reached in practice


class ServerTimingMiddleware:
    """Adds W3C `Server-Timing: app;dur=<ms>` (time from request to response start) to every response.

    Plain ASGI rather than BaseHTTPMiddleware, which costs a task and a stream per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                MutableHeaders(scope=message).append("Server-Timing", f"app;dur={elapsed_ms:.2f}")
            await send(message)

        await self.app(scope, receive, send_with_timing)


# --- error handling -----------------------------------------------------------------------


def _problems_from(errors: list[Any], drop_prefix: tuple[str, ...] = ("body",)) -> list[str]:
    lines = []
    for error in errors:
        loc = [p for p in error.get("loc", ()) if not (isinstance(p, str) and p.startswith("function-"))]
        while loc and loc[0] in drop_prefix:
            loc = loc[1:]
        where = field_path(loc)
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            lines.append(f"{where}: unknown field (check the spelling against `bonemet schema case`)")
        elif error.get("type") == "missing":
            lines.append(f"{where}: required field is missing")
        else:
            shown = repr(error.get("input"))
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            lines.append(f"{where}: {shown} is not allowed: {message}")
    return lines


def _unprocessable(problems: list[str]) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": "Invalid input", "problems": problems})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        return _unprocessable(_problems_from(list(error.errors())))

    @app.exception_handler(BadInputError)
    async def _bad_input(_: Request, error: BadInputError) -> JSONResponse:
        return _unprocessable(error.problems)

    @app.exception_handler(CaseError)
    async def _case_error(_: Request, error: CaseError) -> JSONResponse:
        return _unprocessable(error.problems)

    @app.exception_handler(AuthError)
    async def _unauthorized(_: Request, error: AuthError) -> JSONResponse:
        log.info("hook call rejected: %s", error)
        return JSONResponse(
            status_code=401,
            content={"detail": f"Unauthorized: {error}"},
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )

    @app.exception_handler(PreconditionFailedError)
    async def _precondition(_: Request, error: PreconditionFailedError) -> JSONResponse:
        return JSONResponse(status_code=412, content={"detail": str(error), "missing_prefetch": error.missing})

    @app.exception_handler(OverBudgetError)
    async def _over_budget(_: Request, error: OverBudgetError) -> JSONResponse:
        log.warning("request over its time budget (%g s)", error.budget_seconds)
        retry = str(max(1, round(error.budget_seconds / 2)))
        return JSONResponse(status_code=503, content={"detail": str(error)}, headers={"Retry-After": retry})

    @app.exception_handler(RateLimitedError)
    async def _rate_limited(_: Request, error: RateLimitedError) -> JSONResponse:
        return JSONResponse(
            status_code=429, content={"detail": str(error)}, headers={"Retry-After": str(error.retry_after)}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(status_code=error.status_code, content={"detail": error.detail})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # The message may quote patient data: log the type and a reference only.
        reference = uuid.uuid4().hex[:12]
        log.error("unexpected %s on %s %s (ref %s)", type(error).__name__, request.method, request.url.path, reference)
        return JSONResponse(status_code=500, content={"detail": "Internal error", "reference": reference})


def _parse(model: type[BaseModel], raw: bytes | Any, prefix: tuple[str | int, ...] = ()) -> Any:
    try:
        if isinstance(raw, bytes | bytearray):
            return model.model_validate_json(raw)
        return model.model_validate(raw)
    except ValidationError as error:
        errors = [{**e, "loc": (*prefix, *e["loc"])} for e in error.errors(include_url=False)]
        raise BadInputError(_problems_from(errors)) from None


# --- the app ------------------------------------------------------------------------------


def _warn_at_start(settings: Settings) -> None:
    if settings.auth_disabled:
        log.warning(
            "!!! AUTHENTICATION IS DISABLED (BONEMET_AUTH_DISABLED=1): any caller can invoke the CDS "
            "services. Use only for local demos, never with real patient data. !!!"
        )
    if api_auth_required(settings) and not settings.api_keys and not settings.trusted_issuers:
        log.warning(
            "The JSON API requires authentication but no BONEMET_API_KEYS or issuers are set: /api/* answers 401."
        )
    elif not api_auth_required(settings):
        log.warning("The JSON API (/api/*) is open: no authentication (BONEMET_API_AUTH, BONEMET_API_KEYS).")
    if not settings.auth_disabled:
        for issuer, trust in settings.trusted_issuers.items():
            if not trust.fhir_servers:
                log.warning(
                    "Trusted issuer %s has no fhir_servers: prefetch it leaves out is not fetched (SSRF guard).", issuer
                )
        if not settings.trusted_issuers:
            log.warning("No trusted JWT issuers (BONEMET_TRUSTED_ISSUERS): every hook call will get 401.")
        if not settings.public_url:
            log.warning(
                "BONEMET_PUBLIC_URL is not set: the JWT audience is checked against the URL of each request, "
                "which a proxy can change; set it in production."
            )


def create_app(
    settings: Settings | None = None,
    *,
    store: AuditStore | None = None,
    clock: Callable[[], float] = time.time,
    http_client: Callable[[], httpx.AsyncClient] | None = None,
) -> FastAPI:
    """The application. `store`, `clock` and `http_client` are for embedding and tests."""
    settings = settings or Settings.from_env()
    store_opened_here = store is None and settings.audit_enabled
    if store is None and settings.audit_enabled:
        store = AuditStore(settings.database_url)
    # Audit off, tokens checked: the used-token table alone, in the same database (B5).
    replay_store = AuditStore(settings.database_url) if store is None and not settings.auth_disabled else None
    state = ServiceState(
        settings=settings, store=store, clock=clock, client_factory=http_client, replay_store=replay_store
    )
    quiet_http_client_logs()
    scrub_access_log_queries()
    _warn_at_start(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if reader_installed():
            # Load spaCy before the first hook call instead of during it (CDS Hooks answers in ~500 ms).
            await asyncio.to_thread(enrich_case_function)
        yield
        await state.aclose()
        if state.store is not None and store_opened_here:
            state.store.close()
        if state.replay_store is not None:
            state.replay_store.close()

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served below, with a Content-Security-Policy that fits them
        redoc_url=None,
        title="bonemet",
        version=__version__,
        description=(
            "Clinical decision support for metastatic bone disease: CDS Hooks 2.0 services, a JSON API "
            "and FHIR R4 in and out. Decision support for health care professionals: the clinician decides."
        ),
    )
    app.state.bonemet = state
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-API-Key"],
    )
    _install_error_handlers(app)

    app.add_middleware(ServerTimingMiddleware)
    limits = Limits(settings.max_body_bytes, settings.max_json_depth, settings.max_bundle_entries)
    app.add_middleware(RequestLimits, limits=limits)
    app.add_middleware(SecurityHeaders)  # outermost: its headers reach every answer, errors included
    _cds_routes(app, state)
    _api_routes(app, state)
    smart_routes(app, settings, state.client, lambda request: _base_url(state, request), _launch_assessor(state))
    _docs_routes(app)
    _mount_web_pages(app)
    return app


# Swagger UI and ReDoc are served by the app itself (the files fastapi-offline ships), so /docs
# works on a hospital network with no internet and the page's policy names no outside host.
_DOCS_STATIC = Path(fastapi_offline.__file__).parent / "static"
_DOCS_STATIC_URL = "/static-docs"


def _docs_routes(app: FastAPI) -> None:
    app.mount(_DOCS_STATIC_URL, StaticFiles(directory=_DOCS_STATIC), name="static-docs")
    openapi_url = app.openapi_url or "/openapi.json"

    def page(html: HTMLResponse) -> HTMLResponse:
        text = bytes(html.body).decode()
        return HTMLResponse(text, headers={"Content-Security-Policy": hashed_policy(text, connect="'self'")})

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return page(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title="bonemet API",
                swagger_js_url=f"{_DOCS_STATIC_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{_DOCS_STATIC_URL}/swagger-ui.css",
                swagger_favicon_url=f"{_DOCS_STATIC_URL}/favicon.png",
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return page(
            get_redoc_html(
                openapi_url=openapi_url,
                title="bonemet API",
                redoc_js_url=f"{_DOCS_STATIC_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{_DOCS_STATIC_URL}/favicon.png",
                with_google_fonts=False,
            )
        )


def _mount_web_pages(app: FastAPI) -> None:
    """The clinician pages (case entry, assessment, handout) when the web package is present."""
    try:
        from bonemet.web import mount_web
    except ImportError:
        log.info("web pages not installed; serving the CDS Hooks services and the JSON API only")
        return
    mount_web(app)


def _base_url(state: ServiceState, request: Request) -> str:
    return state.settings.public_url or str(request.base_url).rstrip("/")


async def _authenticate(state: ServiceState, request: Request, audiences: list[str]) -> str | None:
    """The verified issuer; None when authentication is disabled."""
    if state.settings.auth_disabled:
        return None
    return (await state.verifier.verify(request.headers.get("Authorization"), audiences)).issuer


async def _record(
    state: ServiceState,
    source: Source,
    case: Case,
    assessment: Assessment,
    hook_instance: str | None = None,
    service_id: str | None = None,
) -> str | None:
    if state.store is None:
        return None
    store = state.store
    return await asyncio.to_thread(
        lambda: store.record_assessment(
            source=source, case=case, assessment=assessment, hook_instance=hook_instance, service_id=service_id
        )
    )


def _report_limit_problem(state: ServiceState, characters: int, where: str) -> str | None:
    limit = state.settings.max_report_chars
    if characters <= limit:
        return None
    return (
        f"{where}: {characters} characters of report text; the reader reads at most {limit} "
        "per request (BONEMET_MAX_REPORT_CHARS)"
    )


def _check_report_length(state: ServiceState, characters: int, where: str) -> None:
    """The report reader's time grows with the text: past the limit the request is refused (422)."""
    problem = _report_limit_problem(state, characters, where)
    if problem is not None:
        raise BadInputError([problem])


def _import_fhir(state: ServiceState, source: Any, *, refuse: bool, **options: Any) -> FhirImport:
    """to_case, with the report texts read only within the limit. Over it, the JSON API refuses
    (422); a hook answers from the structured data and says the reports were not read, because
    an emergency card must not be lost to a long report."""
    imported = to_case(source, read_reports=False, **options)
    characters = sum(len(study.report_text or "") for study in imported.case.imaging)
    if characters == 0:
        return imported
    problem = _report_limit_problem(state, characters, "DiagnosticReport")
    if problem is not None:
        if refuse:
            raise BadInputError([problem])
        return imported.model_copy(update={"warnings": [*imported.warnings, f"Reports not read: {problem}."]})
    enrich = enrich_case_function()
    if enrich is None:
        note = "The report reader (bonemet.nlp.enrich_case) is not available: report texts were kept, not read."
        return imported.model_copy(update={"warnings": [*imported.warnings, note]})
    case, facts = enrich(imported.case)
    return imported.model_copy(update={"case": case, "facts_from_reports": list(facts)})


def _with_facts(assessment: Assessment, imported: FhirImport) -> Assessment:
    if not imported.facts_from_reports:
        return assessment
    return assessment.model_copy(update={"facts_from_reports": imported.facts_from_reports})


def _raw_body(app: FastAPI, model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI requestBody of a route that reads its body itself (to authenticate first):
    the model's schema, its definitions added to the document's components so every $ref resolves."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions: dict[str, Any] = schema.pop("$defs", {})
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in definitions.items():
                components.setdefault(name, definition)
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _cds_routes(app: FastAPI, state: ServiceState) -> None:
    templates = prefetch_templates()

    @app.get("/cds-services", response_model=None, tags=["CDS Hooks"])
    async def discovery(request: Request) -> dict[str, Any]:
        """CDS Hooks discovery: the services, their hooks and prefetch templates."""
        if state.settings.discovery_requires_auth:
            await _authenticate(state, request, [f"{_base_url(state, request)}/cds-services"])
        services = [
            ServiceDescription(hook=s.hook, title=s.title, description=s.description, id=s.id, prefetch=templates)
            for s in SERVICES.values()
        ]
        return Discovery(services=services).to_json()

    @app.post(
        "/cds-services/{service_id}",
        response_model=None,
        tags=["CDS Hooks"],
        openapi_extra=_raw_body(app, HookRequest),
    )
    async def call_service(service_id: str, request: Request) -> Response:
        """Invoke a CDS service (patient-view, order-select, order-sign)."""
        service = SERVICES.get(service_id)
        if service is None:
            raise StarletteHTTPException(404, f"no CDS service '{service_id}'")
        issuer = await _authenticate(state, request, [f"{_base_url(state, request)}/cds-services/{service_id}"])
        hook = _parse(HookRequest, await request.body())
        if hook.hook != service.hook:
            raise BadInputError([f"hook: {hook.hook!r} is not allowed: service {service_id} answers {service.hook!r}"])
        context = _parse(service.context_model, hook.context, ("context",))
        settings = state.settings
        trust = settings.trusted_issuers.get(issuer) if issuer else None
        allowed = trust.fhir_servers if trust is not None else settings.fhir_servers if issuer is None else ()
        limits = FetchLimits(settings.fhir_max_pages, settings.fhir_deadline_seconds, settings.fhir_max_response_bytes)
        gathered = await gather(hook, templates, state.client, limits, allowed)
        today = state.today()
        base_url = _base_url(state, request)
        missing_data = tuple(f"{key}: {why}" for key, why in sorted(gathered.missing.items()))

        def work() -> tuple[list[Card], str | None]:
            """Import, assess, record and build the cards in one hop to the pool (each hop costs)."""
            imported = _import_fhir(
                state, gathered.resources, refuse=False, as_of=today, medications_complete=gathered.medications_complete
            )
            if gathered.notes:
                imported = imported.model_copy(update={"warnings": [*gathered.notes, *imported.warnings]})
            if imported.deceased:
                return _with_topic([deceased_card(imported)], "assessment-summary"), None
            assessment = _with_facts(assess(imported.case, today=today), imported)
            record_id = (
                state.store.record_assessment(
                    source=Source.hook,
                    case=imported.case,
                    assessment=assessment,
                    hook_instance=hook.hook_instance,
                    service_id=service_id,
                )
                if state.store is not None
                else None
            )
            result = HookResult(
                case=imported.case,
                assessment=assessment,
                patient_ref=f"Patient/{context.patient_id}",
                record_id=record_id,
                page_url=f"{base_url}/assessments/{record_id}" if record_id else None,
                fhir_import=imported,
                today=today,
                missing_data=missing_data,
                smart_launch_url=f"{base_url}/launch" if settings.smart_client_id else None,
            )
            if service.hook == "patient-view":
                return _with_topic(patient_view_cards(result), "assessment-summary"), record_id
            selections = context.selections if isinstance(context, OrderSelectContext) else None
            orders = draft_orders(context.draft_orders, selections)
            cards = order_cards(result, orders, state.settings.recent_imaging_days)
            return _with_topic(cards, "order-check") + _unread_drafts_card(context.draft_orders), record_id

        cards, record_id = await state.run_cpu(work)
        log.info(
            "%s: %d card(s), record %s, %d key(s) fetched", service_id, len(cards), record_id, len(gathered.fetched)
        )
        # Serialised by pydantic in one pass: FastAPI's jsonable_encoder walk costs more than the engine.
        return _json(CdsResponse(cards=cards))

    @app.post(
        "/cds-services/{service_id}/feedback",
        response_model=None,
        tags=["CDS Hooks"],
        openapi_extra=_raw_body(app, FeedbackRequest),
    )
    async def feedback(service_id: str, request: Request) -> dict[str, Any]:
        """Feedback on cards (accepted / overridden); stored, idempotent."""
        if service_id not in SERVICES:
            raise StarletteHTTPException(404, f"no CDS service '{service_id}'")
        service_url = f"{_base_url(state, request)}/cds-services/{service_id}"
        await _authenticate(state, request, [f"{service_url}/feedback", service_url])
        report = _parse(FeedbackRequest, await request.body())
        items = [item.to_json() for item in report.feedback]
        if state.store is None:
            return {"stored": 0, "duplicates": 0}
        store = state.store
        stored, duplicates = await asyncio.to_thread(store.record_feedback, service_id, items)
        return {"stored": stored, "duplicates": duplicates}


# Every card names its topic (CDS Hooks `source.topic`, which the Da Vinci CRD profile requires):
# the recommendation it is about when there is one, else the kind of card (issue 13).
CARD_TOPIC_SYSTEM = f"{BONEMET_BASE}/CodeSystem/card-topic"
_CARD_TOPICS = {
    "assessment-summary": "bonemet assessment summary",
    "order-check": "Check of a draft order",
    "unread-orders": "Draft orders bonemet could not read",
    "missing-data": "Part of the record could not be obtained",
}


def _topic(code: str) -> Coding:
    return Coding(code=code, system=CARD_TOPIC_SYSTEM, display=_CARD_TOPICS[code])


def _with_topic(cards: list[Card], code: str) -> list[Card]:
    return [
        card
        if card.source.topic is not None
        else card.model_copy(update={"source": card.source.model_copy(update={"topic": _topic(code)})})
        for card in cards
    ]


# FHIR DSTU2 order resources (the CDS Hooks sandbox's default FHIR server is DSTU2): not read by
# the R4 checks, so said on a card rather than dropped in silence.
_DSTU2_ORDERS = ("MedicationOrder", "DiagnosticOrder", "ProcedureRequest")


def _unread_drafts_card(draft_bundle: Any) -> list[Card]:
    unread = sorted(
        {str(r.get("resourceType")) for r in flatten(draft_bundle) if r.get("resourceType") in _DSTU2_ORDERS}
    )
    if not unread:
        return []
    kinds = ", ".join(unread)
    return [
        Card(
            summary=f"bonemet did not check these draft orders: {kinds} (FHIR DSTU2)",
            detail=(
                f"The draft orders include {kinds}, a FHIR DSTU2 resource. bonemet checks FHIR R4 "
                "MedicationRequest and ServiceRequest drafts only, so these orders were not checked "
                "(dose against creatinine clearance, calcium before denosumab, recent imaging)."
            ),
            indicator="info",
            source=CardSource(label="bonemet", topic=_topic("unread-orders")),
        )
    ]


def _json(model: BaseModel) -> Response:
    body = model.model_dump_json(exclude_none=True, by_alias=True)
    return Response(content=body, media_type="application/json")


def _launch_assessor(state: ServiceState) -> Callable[[HookRequest], Awaitable[str]]:
    """For a SMART launch: read the patient's record with the granted token, assess, record; the page path."""
    templates = prefetch_templates()

    async def assess_launch(hook: HookRequest) -> str:
        settings = state.settings
        if state.store is None:
            raise SmartLaunchError(
                503, "SMART launch needs the audit store to keep the assessment page (BONEMET_AUDIT)."
            )
        limits = FetchLimits(settings.fhir_max_pages, settings.fhir_deadline_seconds, settings.fhir_max_response_bytes)
        try:
            gathered = await gather(hook, templates, state.client, limits, (hook.fhir_server or "",))
        except PreconditionFailedError:
            raise SmartLaunchError(502, "The patient's record could not be read from the FHIR server.") from None
        today = state.today()
        store = state.store

        def work() -> str | None:
            imported = _import_fhir(
                state, gathered.resources, refuse=False, as_of=today, medications_complete=gathered.medications_complete
            )
            if imported.deceased:
                return None
            assessment = _with_facts(assess(imported.case, today=today), imported)
            return store.record_assessment(
                source=Source.hook,
                case=imported.case,
                assessment=assessment,
                hook_instance=hook.hook_instance,
                service_id="smart-launch",
            )

        record_id = await state.run_cpu(work)
        if record_id is None:
            raise SmartLaunchError(
                422, "The record says this patient has died: bonemet does not assess a deceased patient."
            )
        return f"/assessments/{record_id}"

    return assess_launch


def _patient_resource(bundle: dict[str, Any]) -> dict[str, Any] | None:
    return next((r for r in flatten(bundle) if r.get("resourceType") == "Patient" and r.get("id")), None)


def _patient_ref(bundle: dict[str, Any]) -> str:
    patient = _patient_resource(bundle)
    return f"Patient/{patient['id']}" if patient else "Patient/unknown"


def _api_routes(app: FastAPI, state: ServiceState) -> None:
    async def api_access(request: Request) -> None:
        """Authentication (when required) and the per-client rate limit, for every /api/* call."""
        address = request.client.host if request.client else "unknown"
        await state.guard.check(
            request.headers.get("Authorization"),
            request.headers.get("X-API-Key"),
            address,
            f"{_base_url(state, request)}/api",
        )

    guarded = [Depends(api_access)]

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "engine_version": __version__,
            "audit_store": state.store.dialect if state.store else None,
            "authentication": "DISABLED" if state.settings.auth_disabled else "enabled",
            "report_reader": reader_installed(),
        }

    @app.post("/api/assess", response_model=Assessment, tags=["API"], dependencies=guarded)
    async def api_assess(
        case: Case, response: Response, today: Annotated[dt.date | None, Query()] = None
    ) -> Assessment:
        """Assess one Case (contract v1). Bad input: 422 with each bad field's path."""
        day = today or state.today()
        report_characters = sum(len(study.report_text or "") for study in case.imaging)
        _check_report_length(state, report_characters, "imaging[].report_text")
        case, assessment = await state.run_cpu(_read_and_assess, case, day)
        record_id = await _record(state, Source.api, case, assessment)
        if record_id:
            response.headers["X-Bonemet-Record"] = record_id
        return assessment

    @app.post("/api/assess/fhir", response_model=None, tags=["API"], dependencies=guarded)
    async def api_assess_fhir(
        bundle: Annotated[dict[str, Any], Body(description="A FHIR R4 Bundle of the patient's resources")],
        output: Annotated[Literal["assessment", "fhir"], Query()] = "assessment",
        medications_complete: Annotated[bool | None, Query()] = None,
        today: Annotated[dt.date | None, Query()] = None,
    ) -> dict[str, Any]:
        """Assess a FHIR R4 Bundle. `output=fhir` answers with RiskAssessment/ServiceRequest/MedicationRequest."""
        day = today or state.today()

        def import_and_assess() -> tuple[FhirImport, Assessment]:
            _validate_bundle(bundle)
            imported = _import_fhir(state, bundle, refuse=True, today=day, medications_complete=medications_complete)
            return imported, _with_facts(assess(imported.case, today=day), imported)

        imported, assessment = await state.run_cpu(import_and_assess)
        if imported.deceased:
            raise BadInputError([imported.warnings[0]])
        record_id = await _record(state, Source.api, imported.case, assessment)
        if output == "fhir":

            def as_fhir() -> dict[str, Any]:
                written: dict[str, Any] = from_assessment(
                    assessment, _patient_ref(bundle), _patient_resource(bundle)
                ).model_dump(mode="json", exclude_none=True)
                return written

            result: dict[str, Any] = await state.run_cpu(as_fhir)
            return result
        return FhirAssessment(
            record_id=record_id,
            case=imported.case,
            assessment=assessment,
            unknown_codes=[u.model_dump(mode="json") for u in imported.unknown_codes],
            warnings=imported.warnings,
            provenance=imported.provenance,
        ).model_dump(mode="json")

    @app.post("/api/read-report", response_model=None, tags=["API"], dependencies=guarded)
    async def api_read_report(body: ReadReportRequest) -> Any:
        """Read a radiology report (bone metastasis status and findings), when the report reader is installed."""
        read_report = read_report_function()
        if read_report is None:
            return JSONResponse(
                status_code=501,
                content={"detail": "The report reader (bonemet.nlp) is not installed in this deployment."},
            )
        _check_report_length(state, len(body.text), "text")
        result = await state.run_cpu(read_report, body.text)
        return result.model_dump(mode="json") if isinstance(result, BaseModel) else result

    @app.get("/api/assessments/{record_id}", tags=["API"], dependencies=guarded)
    async def api_stored(record_id: str) -> dict[str, Any]:
        """A stored assessment (the output only), by the record id a hook card or the API gave."""
        stored = await _stored(state, record_id)
        return {
            "record_id": stored.id,
            "created_at": stored.created_at.isoformat(),
            "source": stored.source.value,
            "assessment": stored.output,
        }

    @app.get("/assessments/{record_id}", response_class=HTMLResponse, tags=["pages"])
    async def assessment_page(record_id: str) -> HTMLResponse:
        """The full assessment as a page (linked from the CDS Hooks summary card)."""
        stored = await _stored(state, record_id)
        assessment = Assessment.model_validate(stored.output)
        text = _page(assessment, stored.created_at)
        return HTMLResponse(text, headers={"Content-Security-Policy": hashed_policy(text)})


def _read_and_assess(case: Case, day: dt.date) -> tuple[Case, Assessment]:
    """Read the case's reports (when the reader is installed), then assess: CPU-bound, run in the pool."""
    facts: list[Any] = []
    enrich = enrich_case_function()
    if enrich is not None and any(s.report_text for s in case.imaging):
        case, found = enrich(case)
        facts = list(found)
    assessment = assess(case, today=day)
    if facts:
        assessment = assessment.model_copy(update={"facts_from_reports": facts})
    return case, assessment


def _validate_bundle(bundle: dict[str, Any]) -> None:
    """A structurally valid R4 Bundle (fhir.resources R4B models), or 422 naming what is wrong."""
    if bundle.get("resourceType") != "Bundle":
        raise BadInputError([f"resourceType: {bundle.get('resourceType')!r} is not allowed: expected 'Bundle'"])
    entries = bundle.get("entry", [])
    if isinstance(entries, list):
        for index, entry in enumerate(entries):
            kind = entry.get("resource", {}).get("resourceType") if isinstance(entry, dict) else None
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                try:
                    get_fhir_model_class(str(kind))
                except (ValueError, KeyError):
                    raise BadInputError(
                        [f"entry[{index}].resource.resourceType: {kind!r} is not allowed: not an R4 resource type"]
                    ) from None
    try:
        _parse(Bundle, bundle)
    except (KeyError, TypeError) as error:
        raise BadInputError([f"(root): not a valid FHIR Bundle ({type(error).__name__})"]) from None


async def _stored(state: ServiceState, record_id: str) -> Any:
    try:
        uuid.UUID(record_id)
    except ValueError:
        raise StarletteHTTPException(404, "no such assessment") from None
    if state.store is None:
        raise StarletteHTTPException(404, "the audit store is disabled")
    store = state.store
    stored = await asyncio.to_thread(store.get_assessment, record_id)
    if stored is None:
        raise StarletteHTTPException(404, "no such assessment")
    hours = state.settings.assessment_link_hours
    if dt.datetime.now(dt.UTC) - stored.created_at > dt.timedelta(hours=hours):
        raise StarletteHTTPException(
            410,
            f"this assessment link has expired: links open for {hours:g} hours "
            "(BONEMET_ASSESSMENT_LINK_HOURS); run the assessment again",
        )
    return stored


def _page(assessment: Assessment, created: dt.datetime) -> str:
    from bonemet.render.markdown import render_markdown

    markdown = render_markdown(assessment)
    try:
        from markdown_it import MarkdownIt

        body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    except ImportError:
        body = f"<pre>{html.escape(markdown)}</pre>"
    title = html.escape(f"bonemet assessment, {created:%Y-%m-%d %H:%M} UTC")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
        "</style></head><body>"
        f"<p><small>{title} · engine {html.escape(assessment.engine_version)} · knowledge "
        f"{html.escape(assessment.knowledge_version)}</small></p>{body}</body></html>"
    )


# The HTTP client logs every URL it requests at INFO, and a FHIR search URL names the patient
# (`Observation?patient=...`): those loggers are held at WARNING, whatever the root level.
_URL_LOGGING_LIBRARIES = ("httpx", "httpcore")


def quiet_http_client_logs() -> None:
    for name in _URL_LOGGING_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def app_from_env() -> FastAPI:
    """uvicorn factory: `uvicorn --factory bonemet.service:app_from_env`."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return create_app(Settings.from_env())
