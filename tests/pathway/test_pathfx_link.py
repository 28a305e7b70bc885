"""PATHFx is linked with the inputs it asks for, filled from the case; never imitated."""

from __future__ import annotations

import copy

import pytest

from bonemet.model import CaseError, parse_case
from tests.conftest import run
from tests.pathway.test_prognosis_and_summary import SPINE_CASE

NO_FRACTURE = "none recorded: impending, if the lesion is being considered for fixation"


def test_prognosis_links_pathfx_with_its_nine_inputs_filled_from_the_case() -> None:
    data = copy.deepcopy(SPINE_CASE)
    data["labs"]["hemoglobin_g_dl"] = 11.2
    data["cancer"]["lymph_node_metastases"] = False
    data["lesions"][0]["pathologic_fracture"] = False
    outlook = run(data).prognosis
    assert outlook is not None and outlook.pathfx is not None
    link = outlook.pathfx
    assert link.url == "https://www.pathfx.org"
    values = {entry.input: entry.value for entry in link.inputs}
    assert values == {
        "age": "58 years",
        "sex": "male",
        "pathologic fracture (impending or complete)": NO_FRACTURE,
        "organ (visceral) metastases": "no",
        "lymph node metastases": "no",
        "haemoglobin": "11.2 g/dL",
        "primary oncologic diagnosis": "kidney",
        "number of bone metastases": "multiple",
        "ECOG performance status": values["ECOG performance status"],
    }
    assert values["ECOG performance status"] is not None and "1" in values["ECOG performance status"]
    assert "does not imitate" in link.note
    assert link.citation.startswith("Anderson 2020 (PATHFx 3.0):")
    # No PATHFx probability is invented anywhere in the prognosis.
    assert set(outlook.survival) == {"6_months", "12_months", "24_months"}


def test_unrecorded_pathfx_inputs_stay_empty() -> None:
    outlook = run(SPINE_CASE).prognosis
    assert outlook is not None and outlook.pathfx is not None
    values = {entry.input: entry.value for entry in outlook.pathfx.inputs}
    assert values["haemoglobin"] is None
    assert values["lymph node metastases"] is None
    assert values["pathologic fracture (impending or complete)"] is None


def test_a_fractured_lesion_is_entered_as_a_complete_fracture() -> None:
    data = copy.deepcopy(SPINE_CASE)
    data["lesions"][0]["pathologic_fracture"] = True
    outlook = run(data).prognosis
    assert outlook is not None and outlook.pathfx is not None
    values = {entry.input: entry.value for entry in outlook.pathfx.inputs}
    assert values["pathologic fracture (impending or complete)"] == "complete (pathologic fracture present)"


def test_an_impossible_haemoglobin_is_refused_naming_the_field() -> None:
    with pytest.raises(CaseError) as error:
        parse_case({"labs": {"hemoglobin_g_dl": 0}})
    assert "labs.hemoglobin_g_dl" in str(error.value)
