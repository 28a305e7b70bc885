"""CDS Hooks 2.0 request, response and feedback models.

No official JSON Schema exists for CDS Hooks 2.0, so these follow the specification's
tables (https://cds-hooks.hl7.org/2.0/) and encode the FSH invariants of the HL7
cds-hooks repository (cds-r-1, cds-resp-1..6, cds-fb-1..3) as validators. Optional
fields are None and are omitted on output: the specification forbids null, "" and [].
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

SUMMARY_LIMIT = 140  # "One-sentence, <140-character summary"


class _Model(BaseModel):
    """Python names in snake_case; the wire names of the specification (camelCase) as aliases."""

    model_config = ConfigDict(extra="allow", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


# --- request -------------------------------------------------------------------------------


class FhirAuthorization(BaseModel):
    """Field names are snake_case on the wire too (OAuth 2.0 token response names)."""

    model_config = ConfigDict(extra="allow")

    access_token: Annotated[str, Field(min_length=1)]
    token_type: str = "Bearer"
    expires_in: int
    scope: str
    subject: str
    patient: str | None = None


class HookRequest(_Model):
    hook: Annotated[str, Field(min_length=1)]
    hook_instance: Annotated[str, Field(min_length=1, max_length=64)]
    fhir_server: str | None = None
    fhir_authorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _authorization_needs_server(self) -> Self:
        # cds-r-1: fhirServer is required when fhirAuthorization is present.
        if self.fhir_authorization is not None and not self.fhir_server:
            raise ValueError("fhirServer is required when fhirAuthorization is given")
        return self


class PatientViewContext(_Model):
    user_id: Annotated[str, Field(min_length=1)]
    patient_id: Annotated[str, Field(min_length=1)]
    encounter_id: str | None = None


class OrderSignContext(PatientViewContext):
    draft_orders: dict[str, Any]

    @model_validator(mode="after")
    def _draft_orders_is_a_bundle(self) -> Self:
        if self.draft_orders.get("resourceType") != "Bundle":
            raise ValueError("draftOrders must be a FHIR Bundle")
        return self


class OrderSelectContext(OrderSignContext):
    selections: Annotated[list[str], Field(min_length=1)]


# --- response ------------------------------------------------------------------------------


class Coding(_Model):
    code: str
    system: str
    display: str | None = None


class Source(_Model):
    label: Annotated[str, Field(min_length=1)]
    url: str | None = None
    icon: str | None = None
    topic: Coding | None = None


class Action(_Model):
    type: Literal["create", "update", "delete"]
    description: Annotated[str, Field(min_length=1)]  # cds-resp-5
    resource: dict[str, Any] | None = None
    resource_id: str | None = None

    @model_validator(mode="after")
    def _resource_matches_type(self) -> Self:
        if self.type in ("create", "update") and self.resource is None:
            raise ValueError(f"a {self.type} action carries the full resource")
        if self.type == "delete" and (self.resource_id is None or self.resource is not None):
            # cds-resp-2: delete names the resource by resourceId, without a resource body.
            raise ValueError("a delete action names resourceId and carries no resource")
        return self


class Suggestion(_Model):
    label: Annotated[str, Field(min_length=1)]
    uuid: str | None = None
    is_recommended: bool | None = None
    actions: list[Action] | None = None


class Link(_Model):
    label: Annotated[str, Field(min_length=1)]
    url: Annotated[str, Field(min_length=1)]
    type: Literal["absolute", "smart"]
    app_context: str | None = None
    autolaunchable: bool | None = None

    @model_validator(mode="after")
    def _app_context_only_for_smart(self) -> Self:
        if self.app_context is not None and self.type != "smart":  # cds-resp-3
            raise ValueError("appContext is only for smart links")
        return self


class OverrideReason(Coding):
    display: Annotated[str, Field(min_length=1)]  # cds-resp-4: every override reason has a display


class Card(_Model):
    uuid: str | None = None
    summary: Annotated[str, Field(min_length=1, max_length=SUMMARY_LIMIT - 1)]
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[Suggestion] | None = None
    selection_behavior: Literal["at-most-one", "any"] | None = None
    override_reasons: list[OverrideReason] | None = None
    links: list[Link] | None = None

    @model_validator(mode="after")
    def _invariants(self) -> Self:
        if self.suggestions and self.selection_behavior is None:  # cds-resp-6
            raise ValueError("selectionBehavior is required when suggestions are given")
        recommended = sum(1 for s in self.suggestions or [] if s.is_recommended)
        if self.selection_behavior == "at-most-one" and recommended > 1:  # cds-resp-1
            raise ValueError("at most one suggestion may be recommended with at-most-one")
        for name in ("suggestions", "override_reasons", "links"):
            if getattr(self, name) == []:
                raise ValueError(f"{name} must be omitted rather than empty")
        return self


class CdsResponse(_Model):
    cards: list[Card]
    system_actions: list[Action] | None = None


class ServiceDescription(_Model):
    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str] | None = None
    usage_requirements: str | None = None


class Discovery(_Model):
    services: list[ServiceDescription]


# --- feedback ------------------------------------------------------------------------------


class AcceptedSuggestion(_Model):
    id: Annotated[str, Field(min_length=1)]


class FeedbackOverrideReason(_Model):
    reason: Coding | None = None
    user_comment: str | None = None

    @model_validator(mode="after")
    def _reason_or_comment(self) -> Self:
        if self.reason is None and not self.user_comment:  # cds-fb-3
            raise ValueError("an override reason has a reason or a userComment")
        return self


class FeedbackItem(_Model):
    card: Annotated[str, Field(min_length=1, max_length=64)]
    outcome: Literal["accepted", "overridden"]  # cds-fb-1
    accepted_suggestions: list[AcceptedSuggestion] | None = None
    override_reason: FeedbackOverrideReason | None = None
    outcome_timestamp: Annotated[str, Field(min_length=1, max_length=40)]

    @model_validator(mode="after")
    def _accepted_names_its_suggestions(self) -> Self:
        if self.outcome == "accepted" and not self.accepted_suggestions:  # cds-fb-2
            raise ValueError("accepted feedback lists acceptedSuggestions")
        return self


class FeedbackRequest(_Model):
    feedback: Annotated[list[FeedbackItem], Field(min_length=1, max_length=500)]
