"""Benign findings that are not metastases unless the report links them to one."""

from __future__ import annotations

import pytest

from bonemet.nlp import FindingKind, FindingStatus, Mimic, ReportStatus
from tests.nlp.conftest import Reader, present


@pytest.mark.parametrize(
    ("text", "mimic"),
    [
        (
            "9 mm sclerotic focus in the right ilium with brush-like margins, consistent with a bone island.",
            Mimic.bone_island,
        ),
        ("Incidental enostosis in the left femoral head.", Mimic.bone_island),
        ("Coarse vertical trabeculae in T9, typical of a vertebral hemangioma.", Mimic.hemangioma),
        ("Schmorl's node at the superior endplate of T8.", Mimic.schmorl_node),
        ("Multilevel degenerative disc disease with endplate osteophytes.", Mimic.degenerative),
        ("Type 1 Modic endplate changes at L4-L5.", Mimic.degenerative),
        ("Healing fractures of the right lateral 6th and 7th ribs with callus formation.", Mimic.healing_fracture),
        ("Findings typical of Paget disease of the right hemipelvis.", Mimic.paget),
        (
            "Expansile ground-glass lesion of the left 5th rib, consistent with fibrous dysplasia.",
            Mimic.fibrous_dysplasia,
        ),
        ("Serpiginous sclerosis in the distal femur, characteristic of a bone infarct.", Mimic.bone_infarct),
        ("Sacral insufficiency fractures (H-type).", Mimic.insufficiency_fracture),
        ("Chronic L2 compression deformity.", Mimic.insufficiency_fracture),
        (
            "Lucent lesion with chondroid matrix in the proximal phalanx, most consistent with an enchondroma.",
            Mimic.enchondroma,
        ),
        ("Patchy intermediate T1 signal in the femora, consistent with red marrow.", Mimic.red_marrow),
    ],
)
def test_each_mimic_is_named_and_is_not_a_metastasis(reader: Reader, text: str, mimic: Mimic) -> None:
    reading = reader(text)
    assert mimic in {f.mimic for f in present(reading, FindingKind.mimic)}
    assert reading.status is ReportStatus.not_mentioned
    assert present(reading) == []


def test_a_lesion_explained_as_a_mimic_becomes_the_mimic(reader: Reader) -> None:
    reading = reader("Sclerotic focus in the T9 vertebral body, likely a bone island.")
    (mimic,) = present(reading, FindingKind.mimic)
    assert mimic.mimic is Mimic.bone_island and mimic.level is not None and mimic.level.value == "T9"
    assert mimic.text.startswith("Sclerotic focus")


def test_mimic_versus_metastasis_is_possible(reader: Reader) -> None:
    reading = reader("New 7 mm sclerotic focus in T8: bone island versus metastasis.")
    assert reading.status is ReportStatus.possible
    assert Mimic.bone_island in {f.mimic for f in reading.findings}


def test_a_benign_conclusion_explains_the_findings(reader: Reader) -> None:
    text = (
        "FINDINGS: Serpiginous sclerotic densities in the distal femoral metaphysis.\n"
        "IMPRESSION: Findings are characteristic of bone infarcts."
    )
    assert reader(text).status is ReportStatus.not_mentioned


def test_osteoporotic_fracture_is_not_a_pathologic_collapse(reader: Reader) -> None:
    reading = reader("L1 compression fracture, likely osteoporotic insufficiency fracture. No destructive lesion.")
    assert present(reading, FindingKind.vertebral_collapse) == []
    assert reading.status is ReportStatus.negated


def test_a_possible_pathologic_fracture_beside_a_favoured_osteoporotic_one(reader: Reader) -> None:
    reading = reader("New T12 compression fracture, favored osteoporotic; pathological fracture cannot be excluded.")
    (fracture,) = present(reading, FindingKind.pathologic_fracture)
    assert fracture.status is FindingStatus.possible and fracture.level is not None and fracture.level.value == "T12"


def test_a_mimic_word_in_another_organ_is_not_a_bone_finding(reader: Reader) -> None:
    reading = reader("LIVER: 2 cm hepatic hemangioma in segment 6.")
    assert reading.findings == []


def test_reactive_counts_as_red_marrow_only_beside_marrow(reader: Reader) -> None:
    assert reader("Diffusely increased marrow uptake, likely reactive after G-CSF.").findings
    assert reader("Reactive lymph nodes in the axilla.").findings == []
