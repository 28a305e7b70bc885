"""enrich_case: report findings become case facts; what the user typed always wins."""

from __future__ import annotations

from typing import Any

from bonemet.model import Case, parse_case
from bonemet.model.vocabulary import Bone, EsccGrade, Pattern, Side, SpinalLevel, VertebralCollapse
from bonemet.nlp import enrich_case, read_report
from bonemet.nlp.merge import collapse_category
from tests.nlp.conftest import CORPUS

SPINE_MRI = (CORPUS / "reports" / "mr_001.txt").read_text(encoding="utf-8")
BONE_SCAN_THREE = (CORPUS / "reports" / "bs_022.txt").read_text(encoding="utf-8")
FEMUR_XRAY = (CORPUS / "reports" / "xr_001.txt").read_text(encoding="utf-8")


def _case(*studies: tuple[str, str], **fields: Any) -> Case:
    return parse_case(
        {"imaging": [{"modality": modality, "report_text": text} for modality, text in studies], **fields}
    )


def test_affirmed_lesions_become_case_lesions_with_their_facts() -> None:
    enriched, facts = enrich_case(_case(("mri", SPINE_MRI)))
    by_level = {lesion.level: lesion for lesion in enriched.lesions}
    assert set(by_level) == {SpinalLevel.T10, SpinalLevel.L2, SpinalLevel.L4}
    t10 = by_level[SpinalLevel.T10]
    assert t10.bone is Bone.spine
    assert t10.pathologic_fracture is True
    assert t10.vertebral_collapse is VertebralCollapse.under_50pct  # 40% height loss
    assert t10.escc_grade is EsccGrade.g2
    fields = {fact.field for fact in facts}
    assert {"lesions[0].escc_grade", "lesions[0].vertebral_collapse", "lesions[0].pathologic_fracture"} <= fields


def test_every_fact_points_at_its_evidence() -> None:
    case = _case(("xray", FEMUR_XRAY), ("mri", SPINE_MRI))
    _, facts = enrich_case(case)
    assert facts
    for fact in facts:
        assert fact.study_index is not None and fact.span is not None
        report = case.imaging[fact.study_index].report_text or ""
        assert report[fact.span[0] : fact.span[1]] == fact.text


def test_long_bone_lesion_gets_side_segment_pattern_and_size() -> None:
    enriched, _ = enrich_case(_case(("xray", FEMUR_XRAY)))
    (lesion,) = enriched.lesions
    assert (lesion.bone, lesion.side, lesion.pattern, lesion.size_cm) == (Bone.femur, Side.right, Pattern.lytic, 4.2)
    assert lesion.pathologic_fracture is None  # 'impending' fracture: a risk, not a fracture


def test_typed_values_always_win() -> None:
    case = _case(
        ("mri", SPINE_MRI), lesions=[{"bone": "spine", "level": "T10", "pattern": "blastic", "escc_grade": "1b"}]
    )
    enriched, facts = enrich_case(case)
    (lesion,) = enriched.lesions  # the user listed lesions: none are added
    assert lesion.pattern is Pattern.blastic and lesion.escc_grade is EsccGrade.g1b
    assert lesion.pathologic_fracture is True  # left empty by the user, filled from the report
    assert {fact.field for fact in facts} == {"lesions[0].pathologic_fracture", "lesions[0].vertebral_collapse"}


def test_a_typed_lesion_elsewhere_is_not_filled_from_another_site() -> None:
    case = _case(("mri", SPINE_MRI), lesions=[{"bone": "femur", "side": "left"}])
    enriched, facts = enrich_case(case)
    assert enriched.lesions == case.lesions and facts == []


def test_a_negated_report_adds_nothing() -> None:
    case = _case(("ct", "IMPRESSION: No evidence of osseous metastatic disease."))
    enriched, facts = enrich_case(case)
    assert enriched is case and facts == []


def test_a_present_lesion_of_uncertain_cause_is_added() -> None:
    case = _case(("xray", "Expansile lytic lesion of the left posterior 7th rib, suspicious for metastasis."))
    enriched, _ = enrich_case(case)
    assert [(lesion.bone, lesion.side) for lesion in enriched.lesions] == [(Bone.rib, Side.left)]


def test_a_possible_lesion_is_not_added() -> None:
    case = _case(("xray", "Possible subtle lucency in the right clavicle; a metastasis is not excluded."))
    enriched, facts = enrich_case(case)
    assert enriched.lesions == [] and facts == []


def test_counts_come_from_whole_body_studies() -> None:
    enriched, facts = enrich_case(_case(("bone_scan", BONE_SCAN_THREE)))
    burden = enriched.skeletal_burden
    assert (burden.total_lesions, burden.vertebral_bodies, burden.extraspinal_lesions) == (3, 1, 2)
    assert "skeletal_burden.total_lesions" in {fact.field for fact in facts}


def test_counts_are_not_taken_from_a_regional_study() -> None:
    enriched, _ = enrich_case(_case(("mri", SPINE_MRI)))
    assert enriched.skeletal_burden.vertebral_bodies is None


def test_typed_counts_win() -> None:
    enriched, facts = enrich_case(_case(("bone_scan", BONE_SCAN_THREE), skeletal_burden={"total_lesions": 7}))
    assert enriched.skeletal_burden.total_lesions == 7
    assert "skeletal_burden.total_lesions" not in {fact.field for fact in facts}


def test_uncountable_disease_fills_no_counts() -> None:
    text = (
        "Innumerable foci of uptake throughout the spine, ribs and pelvis, including T4 and T9.\n"
        "IMPRESSION: Diffuse osseous metastases."
    )
    enriched, _ = enrich_case(_case(("bone_scan", text)))
    assert enriched.skeletal_burden.vertebral_bodies is None and enriched.skeletal_burden.total_lesions is None


def test_the_same_lesion_in_two_reports_is_one_lesion() -> None:
    mri = "MRI: Metastasis at T10 with 60% collapse."
    scan = "BONE SCAN: Solitary focus of uptake at T10, consistent with metastasis."
    enriched, _ = enrich_case(_case(("mri", mri), ("bone_scan", scan)))
    assert [lesion.level for lesion in enriched.lesions] == [SpinalLevel.T10]
    assert enriched.lesions[0].vertebral_collapse is VertebralCollapse.over_50pct
    assert enriched.skeletal_burden.total_lesions == 1


def test_enrich_case_does_not_change_its_input() -> None:
    case = _case(("mri", SPINE_MRI))
    before = case.model_dump()
    enrich_case(case)
    assert case.model_dump() == before


def test_a_case_without_report_text_is_returned_as_is() -> None:
    case = parse_case({"imaging": [{"modality": "xray", "region": "femur"}]})
    assert enrich_case(case) == (case, [])


def _collapse(text: str) -> VertebralCollapse | None:
    findings = [f for f in read_report(text).findings if f.kind.value == "vertebral_collapse"]
    return collapse_category(findings[0])


def test_collapse_category_from_percentages_bounds_and_words() -> None:
    assert _collapse("T12 metastasis with 60% loss of height.") is VertebralCollapse.over_50pct
    assert _collapse("T12 metastasis with 30% loss of height.") is VertebralCollapse.under_50pct
    assert _collapse("T12 metastasis with 50% loss of height.") is None  # neither <50% nor >50%
    assert _collapse("T12 metastasis with more than 50% collapse.") is VertebralCollapse.over_50pct
    assert _collapse("T12 metastasis with vertebra plana.") is VertebralCollapse.over_50pct
    assert _collapse("T12 metastasis with mild loss of height.") is VertebralCollapse.under_50pct  # Genant grade 1
    assert _collapse("T12 metastasis with severe collapse.") is None  # Genant grade 3 is >40%, not >50%


def test_corpus_reports_merge_into_valid_cases() -> None:
    for path in sorted((CORPUS / "reports").glob("*.txt")):
        prefixes = {"xr": "xray", "ct": "ct", "mr": "mri", "bs": "bone_scan", "pet": "pet_ct", "cls": "ct"}
        modality = prefixes[path.stem.split("_")[0]]
        enriched, facts = enrich_case(_case((modality, path.read_text(encoding="utf-8"))))
        assert isinstance(enriched, Case)
        assert all(fact.study_index == 0 for fact in facts)


def test_assess_with_a_known_primary_promotes_an_indeterminate_lesion_and_says_so() -> None:
    from bonemet.cli.core_commands import assess_with_reports

    report = "2 cm lytic lesion of the right iliac bone."
    with_cancer = parse_case(
        {
            "patient": {"age_years": 64, "sex": "female"},
            "cancer": {"history": "known_primary", "primary": "breast"},
            "imaging": [{"modality": "ct", "report_text": report}],
        }
    )
    assert read_report(report).flags and read_report(report).status.value == "not_mentioned"
    facts = assess_with_reports(with_cancer).facts_from_reports
    (promotion,) = [f for f in facts if f.field == "imaging[0].report_status"]
    assert promotion.value == "possible" and "breast cancer" in promotion.text
    without = parse_case(
        {"patient": {"age_years": 64, "sex": "female"}, "imaging": [{"modality": "ct", "report_text": report}]}
    )
    assert not [f for f in assess_with_reports(without).facts_from_reports if f.field == "imaging[0].report_status"]


def test_cord_compression_in_a_report_without_a_grade_reaches_the_plan_as_an_emergency() -> None:
    from bonemet.cli.core_commands import assess_with_reports

    case = parse_case(
        {
            "patient": {"age_years": 64, "sex": "female"},
            "cancer": {"history": "known_primary", "primary": "breast"},
            "imaging": [
                {
                    "modality": "mri",
                    "report_text": "MRI thoracic spine: metastasis in the T8 vertebral body with epidural extension "
                    "causing cord compression.",
                }
            ],
        }
    )
    assessment = assess_with_reports(case)
    (grade,) = [f for f in assessment.facts_from_reports if f.field == "lesions[0].escc_grade"]
    assert (
        grade.value == "2" and "cord compression" in grade.text
    )  # Bilsky 2: the lowest grade with the cord compressed
    assert assessment.recommendations[0].code.value == "urgent.mscc"
