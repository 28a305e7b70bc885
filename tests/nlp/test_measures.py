"""Sizes, collapse, cortical destruction, Bilsky grades and lesion counts."""

from __future__ import annotations

import pytest

from bonemet.model.vocabulary import CollapseBound
from bonemet.nlp import FindingKind, LesionCount
from tests.nlp.conftest import Reader, present


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("A 2.3 cm lytic metastasis in the left femur.", 2.3),
        ("An 18 mm sclerotic metastasis in the right ilium.", 1.8),
        ("A 3.1 x 2.4 cm lytic metastasis in the left femoral neck.", 3.1),
        ("Lytic lesion in the femur measuring 23 x 18 x 30 mm, consistent with metastasis.", 3.0),
        ("Sternal metastasis, 3.3 cm x 2 cm.", 3.3),
        ("Metastasis in the humerus measures 6.1 cm in craniocaudal length, with endosteal scalloping.", 6.1),
    ],
)
def test_size_is_the_largest_dimension_in_cm(reader: Reader, text: str, size: float) -> None:
    (lesion,) = present(reader(text))
    assert lesion.size_cm == pytest.approx(size)


def test_a_size_belongs_to_what_it_measures(reader: Reader) -> None:
    reading = reader(
        "Pathologic fracture of L1 with 40% height loss and 4 mm retropulsion, through a lytic metastasis."
    )
    assert all(f.size_cm is None for f in present(reading))


def test_size_of_the_largest_lesion_goes_to_its_site(reader: Reader) -> None:
    reading = reader(
        "Lytic metastases in the T5 vertebral body and the right iliac bone, the largest in the right "
        "iliac bone measuring 2.8 cm."
    )
    sizes = {f.bone.value: f.size_cm for f in present(reading) if f.bone}
    assert sizes == {"spine": None, "pelvis": 2.8}


def test_a_size_told_in_its_own_sentence(reader: Reader) -> None:
    reading = reader(
        "BONES: Lytic metastases in T6 and the left iliac bone. The largest, in the left iliac bone, measures 2.4 cm."
    )
    assert {f.size_cm for f in present(reading)} == {None, 2.4}


@pytest.mark.parametrize(
    ("text", "pct", "bound"),
    [
        ("T12 metastasis with approximately 60% loss of height.", 60, None),
        ("Pathologic compression fracture of L1 with 40 percent loss of vertebral body height.", 40, None),
        ("Collapsed T8 vertebral body (height loss about 50%) from metastasis.", 50, None),
        ("T11 metastasis with more than 50% collapse.", 50, CollapseBound.more_than),
    ],
)
def test_collapse_percentage(reader: Reader, text: str, pct: float, bound: CollapseBound | None) -> None:
    collapses = present(reader(text), FindingKind.vertebral_collapse)
    assert collapses and all(f.collapse_pct == pct and f.collapse_bound is bound for f in collapses)


def test_pathologic_compression_fracture_is_a_fracture_and_a_collapse(reader: Reader) -> None:
    reading = reader("Pathologic compression fracture of T10 from metastasis.")
    assert [f.level.value for f in present(reading, FindingKind.pathologic_fracture) if f.level] == ["T10"]
    assert [f.level.value for f in present(reading, FindingKind.vertebral_collapse) if f.level] == ["T10"]


def test_retropulsion_is_found(reader: Reader) -> None:
    reading = reader("T11 metastasis with 70% collapse and marked retropulsion.")
    assert [f.level.value for f in present(reading, FindingKind.retropulsion) if f.level] == ["T11"]


@pytest.mark.parametrize(
    ("text", "fraction"),
    [
        (
            "Lytic metastasis of the femoral shaft with cortical destruction involving two-thirds of the "
            "circumference.",
            2 / 3,
        ),
        ("Metastasis of the humerus with cortical thinning of approximately 50% of its thickness.", 0.5),
        (
            "Lytic metastasis of the femur with destruction of the medial cortex over approximately 2/3 of its "
            "circumference.",
            2 / 3,
        ),
    ],
)
def test_cortical_destruction_with_a_stated_fraction(reader: Reader, text: str, fraction: float) -> None:
    (cortex,) = present(reader(text), FindingKind.cortical_destruction)
    assert cortex.cortical_fraction == pytest.approx(fraction, abs=0.001)


@pytest.mark.parametrize(
    "text",
    [
        "Lytic metastasis of the femur with thinning of the medial cortex greater than 50%.",
        "Lytic metastasis of the femur with destruction of more than two thirds of the cortex.",
    ],
)
def test_a_bound_is_not_a_cortical_fraction(reader: Reader, text: str) -> None:
    # Mirels scores by thirds: 'more than 2/3' recorded as 0.67 could score a third too low,
    # so a bound is left for the clinician to enter.
    (cortex,) = present(reader(text), FindingKind.cortical_destruction)
    assert cortex.cortical_fraction is None


@pytest.mark.parametrize(
    ("text", "kind", "grade"),
    [
        (
            "T10 metastasis with ventral epidural extension and cord compression (ESCC grade 2).",
            FindingKind.cord_compression,
            "2",
        ),
        ("Epidural disease at T12 abutting the cord (ESCC 1c).", FindingKind.epidural_extension, "1c"),
        (
            "T8 metastasis with severe epidural spinal cord compression (Bilsky grade 3).",
            FindingKind.cord_compression,
            "3",
        ),
        ("Lytic metastasis at L1. Bilsky 3.", FindingKind.cord_compression, "3"),
        ("T4 metastasis, ESCC 1a.", FindingKind.epidural_extension, "1a"),
    ],
)
def test_escc_grade(reader: Reader, text: str, kind: FindingKind, grade: str) -> None:
    graded = [f for f in present(reader(text), kind) if f.escc_grade is not None]
    assert graded and {f.escc_grade.value for f in graded if f.escc_grade} == {grade}


def test_a_grade_range_is_not_a_grade(reader: Reader) -> None:
    reading = reader("Epidural component at T4 mildly indenting the thecal sac (ESCC 1a-1b).")
    assert all(f.escc_grade is None for f in reading.findings)


def test_epidural_extension_and_cord_compression(reader: Reader) -> None:
    reading = reader("Epidural soft tissue mass at T1 circumferentially compressing the spinal cord.")
    assert {
        f.kind
        for f in present(reading, FindingKind.epidural_extension) + present(reading, FindingKind.cord_compression)
    } == {
        FindingKind.epidural_extension,
        FindingKind.cord_compression,
    }


def test_cauda_equina_compression_counts_as_compression(reader: Reader) -> None:
    reading = reader("Large epidural mass at L5 severely compressing the cauda equina nerve roots.")
    assert present(reading, FindingKind.cord_compression)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Innumerable sclerotic osseous metastases.", LesionCount.multiple),
        ("Multiple lytic metastases in the spine.", LesionCount.multiple),
        ("At least five sclerotic metastases in the spine.", LesionCount.multiple),
        ("Several hypermetabolic lytic lesions, consistent with metastases.", LesionCount.multiple),
        ("Solitary sclerotic metastasis in the sternum.", LesionCount.solitary),
        ("Single focus of intense uptake in the right femur, consistent with metastasis.", LesionCount.solitary),
        ("Three osseous metastases (T7, right iliac crest, left 10th rib).", 3),
        ("Two new sclerotic foci at T3 and T7, suspicious for metastases.", 2),
        ("Sclerotic metastases at L3 and L5.", LesionCount.multiple),
        ("Expansile lytic metastasis of the sacrum involving S1 and S2.", None),
        ("A 5 cm destructive lytic metastasis of the femur.", None),
    ],
)
def test_lesion_count(reader: Reader, text: str, count: LesionCount | int | None) -> None:
    assert reader(text).lesion_count == count


def test_no_count_when_the_report_negates_metastasis(reader: Reader) -> None:
    assert reader("Multiple Schmorl's nodes. No osseous metastases.").lesion_count is None
