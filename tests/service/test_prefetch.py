"""Prefetch tokens are filled from the hook context as CDS Hooks 2.0 defines them."""

from __future__ import annotations

import pytest

from bonemet.service.prefetch import PreconditionFailedError, fill_tokens, prefetch_templates


def test_context_tokens() -> None:
    context = {"patientId": "123", "encounterId": "456", "userId": "PractitionerRole/789"}
    assert fill_tokens("Condition?patient={{context.patientId}}", context) == "Condition?patient=123"
    assert fill_tokens("Encounter/{{ context.encounterId }}", context) == "Encounter/456"
    assert fill_tokens("PractitionerRole?_id={{userPractitionerRoleId}}", context) == "PractitionerRole?_id=789"


@pytest.mark.parametrize(
    "template",
    [
        "Patient/{{context.missing}}",
        "Medication/{{context.medication.id}}",  # only first-level primitives are tokens
        "Practitioner/{{userPractitionerId}}",  # the user is a PractitionerRole here
    ],
)
def test_tokens_that_cannot_be_filled(template: str) -> None:
    context = {"patientId": "1", "userId": "PractitionerRole/9", "medication": {"id": "m"}}
    with pytest.raises(PreconditionFailedError):
        fill_tokens(template, context)


def test_templates_use_only_the_patient_token() -> None:
    for template in prefetch_templates().values():
        filled = fill_tokens(template, {"patientId": "p1"})
        assert "{{" not in filled and "p1" in filled
