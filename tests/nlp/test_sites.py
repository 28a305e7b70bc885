"""Where findings are: vertebral levels (ranges and lists), bones, sides and segments."""

from __future__ import annotations

import pytest

from bonemet.nlp import FindingKind
from bonemet.nlp.levels import find_levels
from tests.nlp.conftest import Reader, bones, levels, present


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Metastatic disease T10–L2.", {"T10", "T11", "T12", "L1", "L2"}),  # en dash
        ("Metastatic disease T10-L2.", {"T10", "T11", "T12", "L1", "L2"}),
        ("Osseous metastases at L3 and L5.", {"L3", "L5"}),
        ("Enhancing metastases from C7 through T2.", {"C7", "T1", "T2"}),
        ("Metastases at T4, T7 and T9.", {"T4", "T7", "T9"}),
        ("Sclerotic metastases T4-6.", {"T4", "T5", "T6"}),
        ("Metastatic deposits in D7 to D10 vertebrae.", {"T7", "T8", "T9", "T10"}),
        ("Metastasis in the 12th thoracic vertebra.", {"T12"}),
        ("Metastases from L4 to S1.", {"L4", "L5", "S1"}),
    ],
)
def test_levels_ranges_and_lists(reader: Reader, text: str, expected: set[str]) -> None:
    assert levels(reader(text)) == expected


def test_mri_sequence_names_are_not_levels(reader: Reader) -> None:
    reading = reader(
        "T1 hypointense, T2 hyperintense enhancing metastasis in L3, hyperintense on both T1- and T2-weighted images."
    )
    assert levels(reading) == {"L3"}


def test_levels_t1_and_t2_count_when_they_are_vertebrae(reader: Reader) -> None:
    assert levels(reader("Metastatic lesions are present at T1, T2 and T3.")) == {"T1", "T2", "T3"}


def test_sacral_levels_are_in_the_sacrum(reader: Reader) -> None:
    reading = reader("Expansile lytic sacral metastasis involving S1 and S2.")
    assert bones(reading) == {"sacrum"}
    assert levels(reading) == {"S1", "S2"}


@pytest.mark.parametrize(
    ("text", "bone", "side", "segment"),
    [
        ("Lytic metastasis in the right femoral neck.", "femur", "right", "neck"),
        ("Lytic metastasis of the left intertrochanteric femur.", "femur", "left", "peritrochanteric"),
        (
            "Lytic lesion within the proximal diaphysis of the right femur, compatible with metastasis.",
            "femur",
            "right",
            "shaft",
        ),
        ("Sclerotic metastasis in the L femoral head.", "femur", "left", "proximal"),
        ("Metastasis in the left proximal humeral metaphysis.", "humerus", "left", "proximal"),
        ("Metastasis in the mid tibial shaft on the right.", "tibia", None, "shaft"),
        ("Lytic metastasis of the left posterior 7th rib.", "rib", "left", None),
        ("Metastasis in the R iliac crest.", "pelvis", "right", None),
        ("Metastasis of the right acetabular roof.", "acetabulum", "right", None),
        ("Sternal metastasis.", "sternum", None, None),
        ("Destructive metastasis of the right parietal calvarium.", "skull", "right", None),
        ("Metastasis in the body of the left scapula.", "scapula", "left", None),
        ("Metastasis in the mid right clavicle.", "clavicle", "right", None),
    ],
)
def test_bone_side_and_segment(reader: Reader, text: str, bone: str, side: str | None, segment: str | None) -> None:
    (finding,) = present(reader(text))
    assert finding.bone is not None and finding.bone.value == bone
    assert (finding.side.value if finding.side else None) == side
    assert (finding.segment.value if finding.segment else None) == segment


def test_both_and_bilateral_name_two_sides(reader: Reader) -> None:
    reading = reader("Sclerotic metastases in both iliac bones.")
    assert {(f.bone.value, f.side.value) for f in present(reading) if f.bone and f.side} == {
        ("pelvis", "left"),
        ("pelvis", "right"),
    }


def test_each_site_of_a_list_is_a_finding(reader: Reader) -> None:
    reading = reader(
        "Multiple lytic metastases involving the T6, T9 and L2 vertebral bodies, the right posterior "
        "8th rib and the left iliac bone."
    )
    assert levels(reading) == {"T6", "T9", "L2"}
    assert bones(reading) == {"spine", "rib", "pelvis"}
    assert len(present(reading)) == 5


def test_a_site_before_the_finding_belongs_to_it(reader: Reader) -> None:
    reading = reader("T8 metastasis with severe epidural spinal cord compression at T8; L2 bone island.")
    assert levels(reading) == {"T8"}
    assert levels(reading, FindingKind.cord_compression) == {"T8"}


def test_a_complication_takes_the_site_of_its_lesion(reader: Reader) -> None:
    reading = reader("Lytic metastasis in the right femoral shaft. There is an associated pathologic fracture.")
    assert bones(reading, FindingKind.pathologic_fracture) == {"femur"}


def test_epidural_disease_takes_its_own_level_not_the_lesion_range(reader: Reader) -> None:
    reading = reader("L4-S1 metastases with epidural tumor causing severe cauda equina compression at L5.")
    assert levels(reading, FindingKind.epidural_extension) == {"L5"}
    assert levels(reading, FindingKind.cord_compression) == {"L5"}


def test_rib_shadows_are_not_a_site(reader: Reader) -> None:
    reading = reader(
        "Lucency in the right scapula, which could represent a metastasis, although rib shadows limit assessment."
    )
    assert bones(reading) == {"scapula"}


def test_find_levels_keeps_offsets_of_each_mention() -> None:
    text = "lesions at t10–l2 and l5"
    mentions = find_levels(text)
    assert [text[m.start : m.end] for m in mentions] == ["t10–l2", "l5"]
    assert [len(m.levels) for m in mentions] == [5, 1]
