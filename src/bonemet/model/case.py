"""The Case: everything bonemet is told about one patient (contract v1, input).

Missing means unknown, never "no". Unknown fields are rejected (extra="forbid") so a
misspelled field name is reported instead of silently dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bonemet.model.vocabulary import (
    SPINAL_BONES,
    Alignment,
    Bone,
    BoneBiopsy,
    BoneModifyingAgent,
    CancerHistory,
    EsccGrade,
    LimbPain,
    Modality,
    NeurologicDeficit,
    Pattern,
    PosterolateralInvolvement,
    Primary,
    Segment,
    Sex,
    Side,
    SpinalLevel,
    SpinalPain,
    VertebralCollapse,
    VisceralMetastases,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Patient(_Strict):
    age_years: Annotated[float | None, Field(ge=0, le=120, description="Age in years (0-120)")] = None
    sex: Annotated[Sex | None, Field(description="Sex: female or male")] = None
    weight_kg: Annotated[float | None, Field(ge=20, le=350, description="Body weight in kg (20-350)")] = None
    ecog: Annotated[int | None, Field(ge=0, le=4, description="ECOG performance status 0-4")] = None
    kps: Annotated[
        int | None,
        Field(ge=10, le=100, multiple_of=10, description="Karnofsky performance status 10-100, step 10"),
    ] = None
    dialysis: Annotated[bool | None, Field(description="On haemodialysis or peritoneal dialysis")] = None
    life_expectancy_months: Annotated[
        float | None,
        Field(
            ge=0,
            le=240,
            description="The treating clinician's estimate of life expectancy in months; when given it is "
            "used instead of the survival scores for the life-expectancy conditions of the guidelines",
        ),
    ] = None


class Cancer(_Strict):
    history: Annotated[
        CancerHistory | None,
        Field(description="known_primary; unknown_primary (metastatic carcinoma, primary not found); none"),
    ] = None
    primary: Annotated[Primary | None, Field(description="Primary tumour site")] = None
    histology: Annotated[
        str | None,
        Field(max_length=200, description="Histology, free text (e.g. small_cell, clear_cell, follicular)"),
    ] = None
    hormone_dependent: Annotated[bool | None, Field(description="Hormone-dependent tumour (breast, prostate)")] = None
    targeted_therapy: Annotated[
        bool | None,
        Field(description="Molecularly targeted therapy available or given (e.g. EGFR/ALK lung)"),
    ] = None
    diagnosed_on: Annotated[dt.date | None, Field(description="Date the primary was diagnosed")] = None
    primary_treated: Annotated[bool | None, Field(description="Primary tumour removed or controlled")] = None
    prior_chemotherapy: Annotated[bool | None, Field(description="Chemotherapy given before")] = None
    visceral_metastases: Annotated[
        VisceralMetastases | None,
        Field(description="none; nodular; disseminated (pleural, peritoneal, leptomeningeal)"),
    ] = None
    visceral_metastases_resectable: Annotated[
        bool | None, Field(description="When nodular: are the visceral metastases resectable")
    ] = None
    brain_metastases: Annotated[bool | None, Field(description="Brain metastases present")] = None
    castration_resistant: Annotated[
        bool | None,
        Field(description="Prostate: castration-resistant (progressing despite castrate testosterone)"),
    ] = None
    bone_biopsy: Annotated[BoneBiopsy | None, Field(description="Result of a bone biopsy, if one was done")] = None
    lymph_node_metastases: Annotated[
        bool | None, Field(description="Added: lymph node metastases present (a PATHFx input)")
    ] = None


class Presentation(_Strict):
    bone_pain: Annotated[bool | None, Field(description="Bone pain present")] = None
    pain_unexplained: Annotated[
        bool | None, Field(description="No benign explanation found (trauma, arthritis, ...)")
    ] = None
    pain_site_count: Annotated[int | None, Field(ge=0, le=50, description="Number of painful sites")] = None
    neurologic_deficit: Annotated[
        NeurologicDeficit | None,
        Field(description="none; incomplete (Frankel C-D); complete (Frankel A-B)"),
    ] = None
    neurologic_deficit_new: Annotated[bool | None, Field(description="New or progressing neurological deficit")] = None
    hours_since_loss_of_ambulation: Annotated[
        float | None,
        Field(
            ge=0,
            le=100_000,
            description="Hours since the patient could last walk (paraplegia); Patchell 2005 excluded > 48 h",
        ),
    ] = None
    hypercalcemia_symptoms: Annotated[
        bool | None,
        Field(description="Symptoms of hypercalcaemia (thirst, polyuria, nausea, constipation, confusion)"),
    ] = None


class SkeletalBurden(_Strict):
    total_lesions: Annotated[int | None, Field(ge=0, le=1000, description="Skeletal lesions on whole-body imaging")] = (
        None
    )
    vertebral_bodies: Annotated[int | None, Field(ge=0, le=29, description="Vertebral bodies involved")] = None
    extraspinal_lesions: Annotated[int | None, Field(ge=0, le=1000, description="Bone lesions outside the spine")] = (
        None
    )


_SPINE_ONLY = (
    "level",
    "spinal_pain",
    "alignment",
    "vertebral_collapse",
    "posterolateral_involvement",
    "escc_grade",
)


class Lesion(_Strict):
    bone: Annotated[Bone, Field(description="Bone involved")]
    segment: Annotated[
        Segment | None, Field(description="Long bones: proximal, neck, peritrochanteric, shaft, distal")
    ] = None
    level: Annotated[SpinalLevel | None, Field(description="Spine only: vertebral level C1-S5")] = None
    side: Annotated[Side | None, Field(description="left, right or midline")] = None
    pattern: Annotated[Pattern | None, Field(description="Radiographic pattern: lytic, blastic, mixed")] = None
    size_cm: Annotated[float | None, Field(gt=0, le=50, description="Largest dimension in cm")] = None
    cortical_involvement: Annotated[
        float | None,
        Field(
            ge=0,
            le=1,
            description="Fraction (0-1) of the bone's diameter/cortex destroyed on plain radiograph (Mirels size)",
        ),
    ] = None
    pain: Annotated[
        LimbPain | None,
        Field(description="Limbs (Mirels pain): none, mild, moderate, functional (worse with use)"),
    ] = None
    pathologic_fracture: Annotated[bool | None, Field(description="Actual pathologic fracture through the lesion")] = (
        None
    )
    spinal_pain: Annotated[
        SpinalPain | None, Field(description="Spine: none, non_mechanical, mechanical (SINS pain)")
    ] = None
    alignment: Annotated[
        Alignment | None,
        Field(description="Spine: normal, kyphosis_or_scoliosis, subluxation_or_translation"),
    ] = None
    vertebral_collapse: Annotated[
        VertebralCollapse | None,
        Field(description="Spine: none, none_over_50pct_involved, under_50pct, over_50pct"),
    ] = None
    posterolateral_involvement: Annotated[
        PosterolateralInvolvement | None,
        Field(description="Spine: posterolateral element involvement none, unilateral, bilateral"),
    ] = None
    escc_grade: Annotated[EsccGrade | None, Field(description="Spine: Bilsky ESCC grade 0, 1a, 1b, 1c, 2, 3")] = None

    @field_validator("escc_grade", mode="before")
    @classmethod
    def _grade_may_be_a_number(cls, value: Any) -> Any:
        # JSON writers often send grades 0, 2, 3 as numbers.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("level", mode="before")
    @classmethod
    def _level_upper_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _spine_fields_only_on_spine(self) -> Self:
        if self.bone in SPINAL_BONES:
            return self
        given = [name for name in _SPINE_ONLY if getattr(self, name) is not None]
        if given:
            raise ValueError(f"{', '.join(given)} apply only to spine or sacrum lesions, not bone '{self.bone.value}'")
        return self

    @property
    def is_spinal(self) -> bool:
        return self.bone in SPINAL_BONES


class ImagingStudy(_Strict):
    modality: Annotated[Modality, Field(description="xray, bone_scan, ct, mri, pet_ct, psma_pet")]
    region: Annotated[str | None, Field(max_length=200, description="Body region imaged")] = None
    date: Annotated[dt.date | None, Field(description="Date of the study")] = None
    report_text: Annotated[
        str | None,
        Field(max_length=100_000, description="Report free text; read when lesions are not given"),
    ] = None


class Labs(_Strict):
    """Conventional units; FHIR input converts from UCUM."""

    creatinine_mg_dl: Annotated[float | None, Field(gt=0, le=30, description="Serum creatinine, mg/dL")] = None
    calcium_mg_dl: Annotated[float | None, Field(gt=0, le=30, description="Total serum calcium, mg/dL")] = None
    albumin_g_dl: Annotated[float | None, Field(gt=0, le=10, description="Serum albumin, g/dL")] = None
    psa_ng_ml: Annotated[float | None, Field(ge=0, le=100_000, description="PSA, ng/mL")] = None
    ldh_u_l: Annotated[float | None, Field(ge=0, le=100_000, description="Lactate dehydrogenase, U/L")] = None
    crp_mg_dl: Annotated[float | None, Field(ge=0, le=100, description="C-reactive protein, mg/dL")] = None
    platelets_10e9_l: Annotated[float | None, Field(ge=0, le=5000, description="Platelets, 10^9/L")] = None
    bilirubin_mg_dl: Annotated[float | None, Field(ge=0, le=100, description="Total bilirubin, mg/dL")] = None
    alkaline_phosphatase_u_l: Annotated[
        float | None, Field(ge=0, le=100_000, description="Alkaline phosphatase, U/L")
    ] = None
    ionized_calcium_mmol_l: Annotated[float | None, Field(gt=0, le=5, description="Ionised (free) calcium, mmol/L")] = (
        None
    )
    vitamin_d_25oh_ng_ml: Annotated[
        float | None, Field(ge=0, le=500, description="25-hydroxyvitamin D, ng/mL (nmol/L divided by 2.496)")
    ] = None
    magnesium_mg_dl: Annotated[float | None, Field(gt=0, le=20, description="Serum magnesium, mg/dL")] = None
    hemoglobin_g_dl: Annotated[
        float | None, Field(gt=0, le=25, description="Added: haemoglobin, g/dL (a PATHFx input)")
    ] = None


class PriorRadiotherapy(_Strict):
    """One earlier course of radiotherapy to a bone site (for re-irradiation advice)."""

    site: Annotated[
        str | None, Field(max_length=200, description="Site as written in the record, e.g. 'T10-T12' or 'left femur'")
    ] = None
    bone: Annotated[Bone | None, Field(description="Bone treated")] = None
    level: Annotated[SpinalLevel | None, Field(description="Spine: vertebral level treated (one per course entry)")] = (
        None
    )
    side: Annotated[Side | None, Field(description="left, right or midline")] = None
    dose_gy: Annotated[float | None, Field(gt=0, le=200, description="Total dose delivered, Gy")] = None
    fractions: Annotated[int | None, Field(ge=1, le=60, description="Number of fractions")] = None
    completed_on: Annotated[dt.date | None, Field(description="Date the course ended")] = None

    @field_validator("level", mode="before")
    @classmethod
    def _level_upper_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _something_to_match(self) -> Self:
        if self.site is None and self.bone is None:
            raise ValueError("give the site (free text) or the bone of the earlier radiotherapy")
        if self.level is not None and self.bone is not None and self.bone not in SPINAL_BONES:
            raise ValueError(f"level applies only to spine or sacrum, not bone '{self.bone.value}'")
        return self


class Treatment(_Strict):
    bone_modifying_agent: Annotated[
        BoneModifyingAgent | None,
        Field(description="Current agent: none, zoledronic_acid, pamidronate, denosumab"),
    ] = None
    dental_evaluation_done: Annotated[bool | None, Field(description="Dental examination done before the agent")] = None
    irradiated_sites: Annotated[
        list[Annotated[str, Field(max_length=200)]],
        Field(max_length=100, description="Sites already irradiated (free text)"),
    ] = []
    prior_radiotherapy: Annotated[
        list[PriorRadiotherapy],
        Field(max_length=100, description="Earlier radiotherapy courses: site, dose, fractions and end date"),
    ] = []
    jaw_osteonecrosis_history: Annotated[
        bool | None, Field(description="Osteonecrosis of the jaw now or in the past")
    ] = None
    dental_extraction: Annotated[
        bool | None,
        Field(description="Tooth extraction or other dentoalveolar surgery planned, or done and not yet healed"),
    ] = None
    androgen_deprivation: Annotated[bool | None, Field(description="Prostate: on androgen deprivation therapy")] = None


class Case(_Strict):
    """One patient, as far as is known. Every field is optional."""

    id: Annotated[str | None, Field(max_length=200, description="Caller's identifier, echoed back")] = None
    as_of: Annotated[dt.date | None, Field(description="Evaluation date (default: today)")] = None
    patient: Patient = Patient()
    cancer: Cancer = Cancer()
    presentation: Presentation = Presentation()
    skeletal_burden: SkeletalBurden = SkeletalBurden()
    lesions: Annotated[list[Lesion], Field(max_length=200)] = []
    imaging: Annotated[list[ImagingStudy], Field(max_length=200)] = []
    labs: Labs = Labs()
    treatment: Treatment = Treatment()
