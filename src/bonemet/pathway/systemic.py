"""Systemic therapy referral by tissue type (Merck Manual 2022: radiation is combined with
systemic, hormonal or chemotherapy according to the tumour type)."""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import safety
from bonemet.knowledge.pathway_sources import MERCK_METASTATIC_BONE_TUMORS
from bonemet.model.vocabulary import CancerHistory, Code, Primary, Priority, Step, VisceralMetastases
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, recommend, sources_of

HAEMATOLOGICAL = frozenset({Primary.myeloma, Primary.lymphoma})


def _focus(ctx: Context) -> str:
    """Only what the case says about the tissue; the oncologist chooses the regimen."""
    cancer = ctx.case.cancer
    primary = cancer.primary
    if primary in HAEMATOLOGICAL:
        return f"{primary.value}: haematology-led systemic therapy"
    if cancer.hormone_dependent:
        return f"hormone-dependent {primary.value if primary else 'cancer'}: hormonal therapy"
    if cancer.targeted_therapy:
        return f"{primary.value if primary else 'cancer'} with a molecular target: targeted therapy"
    if cancer.history is CancerHistory.unknown_primary and primary is None:
        return "carcinoma of unknown primary: treatment guided by biopsy and immunohistochemistry"
    return f"{primary.value if primary else 'the cancer'}: systemic therapy chosen by tissue type"


def oncology_referral(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    if not metastatic:
        return
    yield recommend(
        Code.systemic_oncology_referral,
        Priority.routine,
        Step.treatment,
        f"Medical oncology for systemic therapy ({_focus(ctx)}).",
        [
            "Bone metastases are treated with radiation together with systemic, hormonal or chemotherapy "
            "chosen by the tissue type.",
        ],
        [MERCK_METASTATIC_BONE_TUMORS],
    )


def radium_223(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    """Symptomatic, bone-dominant castration-resistant prostate cancer: radium-223 is an option (ALSYMPCA)."""
    cancer = ctx.case.cancer
    if not metastatic or cancer.primary is not Primary.prostate or ctx.castration_resistant is not True:
        return
    if cancer.visceral_metastases is not VisceralMetastases.none or not ctx.case.presentation.bone_pain:
        return
    used = [safety.RADIUM_223, safety.RADIUM_223_ESMO, safety.RADIUM_223_NOT_WITH_ABIRATERONE]
    yield recommend(
        Code.systemic_radium_223,
        Priority.consider,
        Step.treatment,
        "Radium-223 (6 monthly injections) as a systemic option for symptomatic bone metastases without visceral "
        "disease; not with abiraterone and prednisone.",
        [f.text for f in used],
        sources_of(used),
    )
