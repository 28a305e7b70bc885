"""PATHFx: a link with the inputs it asks for, filled from the case. Never an imitation.

PATHFx 3.0 (Anderson 2020, Clin Orthop Relat Res 478:808) is six Bayesian belief networks
estimating survival at 1, 3, 6, 12, 18 and 24 months, run behind the web app at pathfx.org; the
networks are not published, so bonemet does not compute a PATHFx estimate. The inputs listed are
the nine its users entered in the Turkish external validation (Ozkan et al.): age, sex, type of
pathologic fracture (impending or complete), organ metastasis, lymph node metastasis,
haemoglobin, primary oncologic diagnosis, number of bone metastases (solitary or multiple) and
ECOG performance status. The site may ask for more; its own form is the authority.
"""

from __future__ import annotations

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Case
from bonemet.model.assessment import CalculatorInput, ExternalCalculator
from bonemet.model.vocabulary import VisceralMetastases
from bonemet.scores.burden import has_multiple_skeletal_metastases
from bonemet.scores.performance import effective_ecog

PATHFX_URL = "https://www.pathfx.org"

ANDERSON_2020 = Citation(
    key="anderson2020_pathfx3",
    label="Anderson 2020 (PATHFx 3.0)",
    reference=(
        "Anderson AB, Wedin R, Fabbri N, Boland P, Healey J, Forsberg JA. External validation of "
        "PATHFx version 3.0 in patients treated surgically and nonsurgically for symptomatic skeletal "
        "metastases. Clin Orthop Relat Res 2020;478(4):808-818. doi:10.1097/CORR.0000000000001081"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC7282571",
)
OZKAN_PATHFX = Citation(
    key="ozkan_pathfx_turkey",
    label="Ozkan (PATHFx, Turkish validation)",
    reference=(
        "Ozkan K, Ozturan B, Karadag Z, Erol B, Alpan B, Ozger H, Gurkan V, Sofulu O, Yalcinkaya M, "
        "Okay E. External validation of the PATHFx decision-support tool on Turkish patients with "
        "skeletal metastasis"
    ),
    url="https://openaccess.bezmialem.edu.tr/entities/publication/3f51a61c-53b3-4444-a104-f97720771002",
)
register(ANDERSON_2020, OZKAN_PATHFX)

NOTE = (
    "PATHFx 3.0 estimates survival at 1, 3, 6, 12, 18 and 24 months with Bayesian networks that run "
    "only on its web site: bonemet does not imitate it. Enter these inputs there; missing ones are "
    "allowed (PATHFx estimates with missing inputs). External validation: AUC 0.80 at 3 months and "
    "0.77 at 12 months in Italy (Piccioli 2015); c-index 0.65-0.71 across 1-24 months in Taiwan "
    "(Hsieh); not for decisions at 1 month, where most patients survive (Anderson 2020)."
)


def pathfx_link(case: Case) -> ExternalCalculator:
    patient, cancer = case.patient, case.cancer
    ecog, ecog_note = effective_ecog(patient)
    multiple = has_multiple_skeletal_metastases(case)
    inputs = [
        ("age", f"{patient.age_years:g} years" if patient.age_years is not None else None),
        ("sex", patient.sex.value if patient.sex is not None else None),
        ("pathologic fracture (impending or complete)", _fracture(case)),
        ("organ (visceral) metastases", _organ(cancer.visceral_metastases)),
        ("lymph node metastases", _yes_no(cancer.lymph_node_metastases)),
        ("haemoglobin", f"{case.labs.hemoglobin_g_dl:g} g/dL" if case.labs.hemoglobin_g_dl is not None else None),
        ("primary oncologic diagnosis", cancer.primary.value if cancer.primary is not None else None),
        ("number of bone metastases", None if multiple is None else ("multiple" if multiple else "solitary")),
        ("ECOG performance status", ecog_note if ecog is not None else None),
    ]
    return ExternalCalculator(
        name="PATHFx 3.0",
        url=PATHFX_URL,
        inputs=[CalculatorInput(input=name, value=value) for name, value in inputs],
        note=NOTE,
        citation=str(ANDERSON_2020),
    )


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _organ(visceral: VisceralMetastases | None) -> str | None:
    if visceral is None:
        return None
    return "no" if visceral is VisceralMetastases.none else f"yes ({visceral.value})"


def _fracture(case: Case) -> str | None:
    fractures = [lesion.pathologic_fracture for lesion in case.lesions]
    if any(fracture is True for fracture in fractures):
        return "complete (pathologic fracture present)"
    if fractures and all(fracture is False for fracture in fractures):
        return "none recorded: impending, if the lesion is being considered for fixation"
    return None
