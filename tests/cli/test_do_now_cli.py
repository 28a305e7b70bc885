"""The terminal's ten-second plan: `assess --brief` and the `demo` summary table (Typer's runner)."""

from __future__ import annotations

from typer.testing import CliRunner

from bonemet.cli import app, core_commands
from bonemet.examples import EXAMPLES_DIR, example_paths
from bonemet.model import parse_case
from bonemet.model.vocabulary import ScoreName
from bonemet.pathway import assess

assert core_commands  # importing it registers assess and demo on the app
runner = CliRunner()
ENV = {"COLUMNS": "200", "BONEMET_AUDIT": "0"}


def test_brief_shows_do_now_and_the_score_totals_only() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLES_DIR / "02_cord_compression.json"), "--brief"], env=ENV)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("Do now") < out.index("[EMERGENCY] Suspected metastatic spinal cord compression")
    assert "[urgent] Spine surgery consultation for the T8 lesion" in out
    assert "SINS (spinal instability) (T8): 9, potentially unstable (7-12)" in out
    assert "why:" not in out and "source:" not in out


def test_full_text_starts_with_do_now_and_prints_the_prognosis_paragraph_once() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLES_DIR / "01_impending_femoral_fracture.json")], env=ENV)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("Do now") < out.index("Suspicion of bone metastasis")
    assert out.index("[urgent] Orthopaedic referral for prophylactic fixation") < out.index("[routine]")
    case = parse_case((EXAMPLES_DIR / "01_impending_femoral_fracture.json").read_text(encoding="utf-8"))
    katagiri = next(s for s in assess(case).scores if s.name is ScoreName.katagiri_new)
    assert katagiri.interpretation
    assert out.count(katagiri.interpretation[:40]) == 1
    assert out.count("why:") > 0


def test_demo_prints_one_row_per_example_unless_asked_for_the_full_plans() -> None:
    result = runner.invoke(app, ["demo"], env=ENV)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ ") and "_" in line.split("│")[1]]
    assert [row.split("│")[1].strip() for row in rows] == [p.stem for p in example_paths()]
    assert "[EMERGENCY] Suspected metastatic spinal cord compression" in result.output
    assert "why:" not in result.output
    assert len(result.output.splitlines()) < 6 * len(example_paths())


def test_demo_full_prints_every_plan() -> None:
    result = runner.invoke(app, ["demo", "--full"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.output.count("Do now") >= len(example_paths())
    assert "why:" in result.output


def test_markdown_opens_with_the_same_do_now_block() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLES_DIR / "02_cord_compression.json"), "-f", "markdown"], env=ENV)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("## Do now") < out.index("## EMERGENCY")
    assert "- **[EMERGENCY] Suspected metastatic spinal cord compression" in out and "(T8)**" in out
