"""The patient handout reads at school grade 6 or below (Flesch-Kincaid grade, textstat)."""

from __future__ import annotations

import html
import re
import warnings

import pytest
import textstat
from fastapi.testclient import TestClient

from bonemet.examples import example_paths
from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)

MAX_GRADE = 6.0


def handout_text(page: str) -> str:
    """What the patient reads: the handout article, without the screen-only buttons."""
    article = page[page.index('<article class="handout">') : page.index("</article>")]
    article = re.sub(r'<div class="page-actions no-print">.*?</div>', " ", article, flags=re.S)
    # Block ends become sentence ends, so list items and headings count as the sentences they are.
    article = re.sub(r"</(li|h1|h2|h3|p|dt)>", ". ", article)
    text = html.unescape(re.sub(r"<[^>]+>", " ", article))
    return re.sub(r"\s+", " ", re.sub(r"(\.\s*)+", ". ", text)).strip()


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(make_app())


@pytest.mark.parametrize("example", [p.stem for p in example_paths()])
def test_handout_reading_grade_is_at_most_6(client: TestClient, example: str) -> None:
    text = handout_text(client.get(f"/handout?example={example}").text)
    assert len(text.split()) > 80, text  # the handout itself, not an error page
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{example}: grade {grade}"


def test_the_measure_can_fail_on_hard_text() -> None:
    hard = (
        "Stereotactic body radiotherapy delivers ablative, conformal, high-dose radiation to circumscribed "
        "vertebral metastases, minimising toxicity to adjacent radiosensitive neurological structures."
    )
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE
