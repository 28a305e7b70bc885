"""The CLI as users run it: a real subprocess of the installed `bonemet` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bonemet.examples import EXAMPLES_DIR

BONEMET = [str(Path(sys.executable).with_name("bonemet"))]
FRACTURE = EXAMPLES_DIR / "01_impending_femoral_fracture.json"


def bonemet(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "120", "PATH": "", "BONEMET_AUDIT": "0"}
    if database_url:
        env |= {"BONEMET_AUDIT": "1", "BONEMET_DATABASE_URL": database_url}
    return subprocess.run([*BONEMET, *args], capture_output=True, text=True, timeout=120, env=env)


def test_assess_text_shows_the_plan_with_points_reasons_and_sources() -> None:
    out = bonemet("assess", str(FRACTURE))
    assert out.returncode == 0, out.stderr
    assert "prophylactic fixation" in out.stdout
    assert "Mirels" in out.stdout and "12" in out.stdout
    assert "why:" in out.stdout and "source:" in out.stdout


def test_assess_json_is_an_assessment() -> None:
    out = bonemet("assess", str(FRACTURE), "--format", "json")
    data = json.loads(out.stdout)
    assert data["case_id"] == "ex-01"
    assert any(r["code"] == "surgery.prophylactic_fixation" for r in data["recommendations"])


def test_assess_markdown() -> None:
    out = bonemet("assess", str(FRACTURE), "--format", "markdown")
    assert out.stdout.startswith("# bonemet assessment")
    assert "| item | value | points |" in out.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_score_items_keep_their_published_decimals(fmt: str) -> None:
    """Cockcroft-Gault multiplies by 0.85 for women (Cockcroft 1976): printed as 0.85, not rounded."""
    out = bonemet("assess", str(EXAMPLES_DIR / "08_zoledronic_acid_renal_dose.json"), "--format", fmt)
    assert out.returncode == 0, out.stderr
    sex_row = next(line for line in out.stdout.splitlines() if "female" in line and "sex" in line.lower())
    assert "0.85" in sex_row, sex_row


def test_emergencies_are_printed_first() -> None:
    out = bonemet("assess", str(EXAMPLES_DIR / "02_cord_compression.json"))
    assert out.returncode == 0
    assert out.stdout.index("EMERGENCY") < out.stdout.index("Suspicion")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_contradictory_input_is_printed_before_the_plan(tmp_path: Path, fmt: str) -> None:
    case = json.loads(FRACTURE.read_text())
    case["patient"] |= {"ecog": 0, "kps": 30}
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(case))
    out = bonemet("assess", str(path), "--format", fmt)
    assert out.returncode == 0, out.stderr
    assert "Check the input: parts of the case disagree" in out.stdout
    assert out.stdout.index("Check the input") < out.stdout.index("Suspicion")
    assert "patient.kps" in out.stdout


def test_invalid_case_names_field_value_and_allowed_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"lesions": [{"bone": "femur", "size_cm": -2, "pattern": "lytik"}], "patient": {"sexx": 1}})
    )
    out = bonemet("assess", str(bad))
    assert out.returncode == 2
    assert "lesions[0].size_cm" in out.stderr and "-2" in out.stderr and "greater than 0" in out.stderr
    assert "lesions[0].pattern" in out.stderr and "'lytic'" in out.stderr
    assert "patient.sexx: unknown field" in out.stderr
    assert "Traceback" not in out.stderr


def test_spine_fields_on_a_limb_lesion_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"lesions": [{"bone": "femur", "escc_grade": "2"}]}))
    out = bonemet("assess", str(bad))
    assert out.returncode == 2 and "escc_grade apply only to spine" in out.stderr


def test_not_json_and_missing_file_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert "not valid JSON" in bonemet("assess", str(bad)).stderr
    out = bonemet("assess", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "cannot read" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("name", ["case", "assessment"])
def test_schema_prints_json_schema(name: str) -> None:
    schema = json.loads(bonemet("schema", name).stdout)
    assert schema["type"] == "object"
    assert "properties" in schema


def test_case_schema_lists_the_allowed_values() -> None:
    schema = json.loads(bonemet("schema", "case").stdout)
    assert schema["$defs"]["Pattern"]["enum"] == ["lytic", "blastic", "mixed"]


def test_explain_a_code_and_a_score() -> None:
    code = bonemet("explain", "bma.zoledronic_acid")
    assert code.returncode == 0 and "When it fires" in code.stdout and "Zometa" in code.stdout
    score = bonemet("explain", "sins")
    assert score.returncode == 0 and "Fisher" in score.stdout


def test_explain_unknown_topic_lists_the_known_ones() -> None:
    out = bonemet("explain", "nonsense")
    assert out.returncode == 2 and "mirels" in out.stderr


def test_demo_assesses_every_bundled_example() -> None:
    out = bonemet("demo", "--format", "json")
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    cases = [p for p in EXAMPLES_DIR.glob("*.json") if not p.name.endswith(".expected.json")]
    assert len(lines) == len(cases) >= 15
    assert all("recommendations" in line for line in lines)


def test_assess_is_recorded_in_the_audit_store(tmp_path: Path) -> None:
    from bonemet.store import AuditStore

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    assert bonemet("assess", str(FRACTURE), "--format", "json", database_url=url).returncode == 0
    assert bonemet("assess", str(FRACTURE), "--no-audit", database_url=url).returncode == 0
    store = AuditStore(url)
    try:
        assert store.count_assessments() == 1
    finally:
        store.close()


def test_low_calcium_is_shown_before_the_agent_and_denosumab_is_declined() -> None:
    out = bonemet("assess", str(EXAMPLES_DIR / "21_hypocalcaemia_holds_denosumab.json"))
    assert out.returncode == 0, out.stderr
    assert "Low calcium (CTCAE grade 2" in out.stdout
    assert out.stdout.index("Low calcium") < out.stdout.index("Once calcium is corrected: Zoledronic acid")
    declined = out.stdout[out.stdout.index("Not recommended") :]
    assert "bma.denosumab" in declined and "contraindicated" in declined


def test_bad_prior_radiotherapy_course_names_the_field(tmp_path: Path) -> None:
    case = json.loads(FRACTURE.read_text())
    case["treatment"]["prior_radiotherapy"] = [{"dose_gy": 800}]
    path = tmp_path / "bad_course.json"
    path.write_text(json.dumps(case))
    out = bonemet("assess", str(path))
    assert out.returncode != 0
    assert "treatment.prior_radiotherapy" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr
