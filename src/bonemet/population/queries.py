"""The set-based case-building queries: plain SQL that DuckDB and Spark SQL both run unchanged.

They start from the flat views (views.py) and the reference tables (codes.py) and end in
five cohort tables, each keyed by patient and split into chunks:

- `cohort_case`: one row per patient with bone metastases or a strong suspicion of them
  (coded bone metastasis or pathological fracture, a lesion record, or known cancer with bone
  pain or raised calcium), holding the patient-level facts;
- `cohort_lab`, `cohort_case_field`, `cohort_lesion`, `cohort_imaging`: the patient's latest
  laboratory values, bonemet case-field observations, lesions and imaging studies.

The semantics follow the single-patient FHIR reader (bonemet.fhir.reader) wherever it has
them: the newest value of a lab wins; a bone-modifying agent is current when its order is
active or dated within CURRENT_AGENT_WINDOW_DAYS; with any medication record and no current
agent, the agent is 'none'. Only the SQL subset both engines accept is used: no dialect
functions for dates (ISO dates are compared as text, after substr(…, 1, 10)), no arrays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bonemet.fhir import codes as fhir_codes
from bonemet.fhir.reader import CURRENT_AGENT_WINDOW_DAYS
from bonemet.fhir.recency import Kind, Windows
from bonemet.knowledge.emergencies import DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL
from bonemet.population.codes import reference_tables

# Lesion fields carried by the bonemet lesion extension (bonemet.fhir.writer), one column each.
LESION_FIELDS: tuple[str, ...] = (
    "bone",
    "segment",
    "level",
    "side",
    "pattern",
    "size_cm",
    "cortical_involvement",
    "pain",
    "pathologic_fracture",
    "spinal_pain",
    "alignment",
    "vertebral_collapse",
    "posterolateral_involvement",
    "escc_grade",
)
COHORT_TABLES: tuple[str, ...] = ("cohort_case", "cohort_lab", "cohort_case_field", "cohort_lesion", "cohort_imaging")
_SKIPPED_MEDICATION_STATUSES = ("entered-in-error", "cancelled", "stopped", "not-done", "draft", "unknown", "revoked")
_ORDER_INTENTS = ("order", "original-order", "reflex-order", "filler-order", "instance-order")
_OBSERVATION_STATUSES = ("final", "amended", "corrected", "preliminary", "appended")


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    keep: bool = True  # materialise (reused later); False: a view read once


@dataclass(frozen=True)
class Parameters:
    as_of: dt.date
    chunk_size: int = 2000
    windows: Windows = field(default_factory=Windows.from_environment)

    def oldest_day(self, kind: Kind) -> str:
        """The oldest date still current for a recency kind (as the FHIR reader's windows)."""
        return (self.as_of - dt.timedelta(days=self.windows.window(kind))).isoformat()

    def lab_current(self, field_column: str, day_expression: str) -> str:
        """SQL: the lab is undated, has no window, or is within its kind's window."""
        cases = " ".join(
            f"WHEN '{path}' THEN '{self.oldest_day(kind)}'" for path, kind in self.windows.fields().items()
        )
        return f"({day_expression} IS NULL OR {day_expression} >= CASE {field_column} {cases} ELSE '0000-01-01' END)"

    @property
    def agent_window_start(self) -> str:
        return (self.as_of - dt.timedelta(days=CURRENT_AGENT_WINDOW_DAYS)).isoformat()


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _patient(column: str) -> str:
    return f"replace({column}, 'Patient/', '')"


def _prefix_lengths() -> list[int]:
    table = next(t for t in reference_tables() if t.name == "ref_condition_code")
    return sorted({len(str(row[2])) for row in table.rows if row[3] == "prefix"})


def _coded_concepts(coding_table: str, owner: str) -> str:
    """Concepts of coded rows: exact codes, and code prefixes as one equi-join per prefix length."""
    exact = (
        f"SELECT o.id, k.concept, k.value FROM {coding_table} cc JOIN {owner} o ON o.id = cc.id "
        "JOIN ref_condition_code k ON k.match_kind = 'exact' AND k.system = cc.system "
        "AND upper(k.code) = upper(cc.code)"
    )
    prefixes = [
        f"SELECT o.id, k.concept, k.value FROM {coding_table} cc JOIN {owner} o ON o.id = cc.id "
        f"JOIN ref_condition_code k ON k.match_kind = 'prefix' AND length(k.code) = {length} "
        f"AND k.system = cc.system AND upper(k.code) = upper(substr(cc.code, 1, {length}))"
        for length in _prefix_lengths()
    ]
    return " UNION ".join([exact, *prefixes])


def _worded(text_table: str, concepts: tuple[str, ...]) -> str:
    return (
        f"SELECT t.id, w.concept, w.value FROM {text_table} t JOIN ref_word w "
        f"ON w.concept IN {_in(concepts)} AND t.text LIKE concat('%', w.word, '%')"
    )


def _conditions() -> list[Query]:
    return [
        Query(
            "condition",
            f"SELECT id, {_patient('patient_ref')} AS patient_id, code_text, substr(onset, 1, 10) AS onset, "
            "COALESCE(clinical_status, 'active') AS clinical_status, body_site_text FROM fhir_condition "
            "WHERE patient_ref IS NOT NULL "
            "AND COALESCE(verification_status, '') NOT IN ('refuted', 'entered-in-error')",
        ),
        Query(
            "condition_text",
            "SELECT id, lower(COALESCE(code_text, '')) AS text FROM condition "
            "UNION ALL SELECT id, lower(COALESCE(display, '')) AS text FROM fhir_condition_coding",
            keep=False,
        ),
        Query(
            "condition_concept",
            "SELECT DISTINCT c.id, c.patient_id, c.onset, c.clinical_status, x.concept, x.value FROM ("
            + _coded_concepts("fhir_condition_coding", "condition")
            + " UNION "
            + _worded("condition_text", ("bone_pain", "benign_pain_explanation"))
            + ") x JOIN condition c ON c.id = x.id",
        ),
        Query(
            "known_cancer",
            "SELECT patient_id, MAX(CASE WHEN concept = 'primary' THEN 1 ELSE 0 END) AS has_primary, "
            "MAX(CASE WHEN concept = 'unknown_primary' THEN 1 ELSE 0 END) AS has_unknown_primary "
            "FROM condition_concept WHERE concept IN ('primary', 'unknown_primary') GROUP BY patient_id",
        ),
        Query(
            "primary_latest",
            "SELECT patient_id, value AS primary_site, onset FROM (SELECT patient_id, value, onset, "
            "ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY onset DESC NULLS LAST, id DESC) AS rn "
            "FROM condition_concept WHERE concept = 'primary') ranked WHERE rn = 1",
        ),
    ]


def _lesions() -> list[Query]:
    pivot = ", ".join(f"MAX(CASE WHEN part = '{name}' THEN value END) AS {name}" for name in LESION_FIELDS)
    return [
        Query(
            "lesion_detail",
            f"SELECT id, {pivot} FROM fhir_lesion_part WHERE extension_url = '{fhir_codes.LESION_EXTENSION}' "
            "GROUP BY id",
        ),
        Query(
            "lesion_site",
            "SELECT s.id, MIN(CASE WHEN r.kind = 'bone' THEN r.value END) AS bone, "
            "MIN(CASE WHEN r.kind = 'side' THEN r.value END) AS side FROM fhir_condition_site s "
            f"JOIN ref_site r ON r.code = s.code WHERE s.system = '{fhir_codes.system('snomed')}' GROUP BY s.id",
        ),
        Query(
            "lesion_condition",
            "SELECT c.patient_id, c.id, CASE WHEN d.id IS NOT NULL OR b.id IS NOT NULL THEN 'lesion' "
            "ELSE 'fracture' END AS kind FROM condition c "
            "LEFT JOIN lesion_detail d ON d.id = c.id "
            "LEFT JOIN (SELECT DISTINCT id FROM condition_concept WHERE concept = 'bone_metastasis') b ON b.id = c.id "
            "LEFT JOIN (SELECT DISTINCT id FROM condition_concept WHERE concept = 'pathologic_fracture') f "
            "ON f.id = c.id WHERE d.id IS NOT NULL OR b.id IS NOT NULL OR f.id IS NOT NULL",
        ),
    ]


def _observations(p: Parameters) -> list[Query]:
    loinc = fhir_codes.system("loinc")
    return [
        Query(
            "observation",
            f"SELECT id, {_patient('patient_ref')} AS patient_id, system, code, value_number, unit_code, unit_text, "
            "value_text, effective FROM fhir_observation "
            f"WHERE patient_ref IS NOT NULL AND status IN {_in(_OBSERVATION_STATUSES)}",
        ),
        Query(
            "lab_value",
            "SELECT o.patient_id, o.id, m.field, o.effective, o.value_number * f.factor AS value "
            f"FROM observation o JOIN ref_observation_code m ON o.system = '{loinc}' AND o.code = m.code "
            "LEFT JOIN ref_unit_alias a1 ON a1.alias = o.unit_code "
            "LEFT JOIN ref_unit_alias a2 ON a2.alias = lower(o.unit_code) "
            "LEFT JOIN ref_unit_alias a3 ON a3.alias = o.unit_text "
            "LEFT JOIN ref_unit_alias a4 ON a4.alias = lower(o.unit_text) "
            "JOIN ref_unit_factor f ON f.analyte = m.analyte AND f.unit = COALESCE(a1.ucum, a2.ucum, a3.ucum, "
            "a4.ucum, CASE WHEN m.analyte = 'score' THEN '' END) "
            # Only patients who can join the cohort (known cancer or a bone lesion) need labs.
            "JOIN (SELECT patient_id FROM known_cancer UNION SELECT patient_id FROM lesion_condition) candidate "
            "ON candidate.patient_id = o.patient_id WHERE o.value_number IS NOT NULL "
            # Older than its recency window: history, never a current value (bonemet.fhir.recency).
            f"AND {p.lab_current('m.field', 'substr(o.effective, 1, 10)')}",
            keep=False,
        ),
        Query(
            "lab_latest",
            "SELECT patient_id, field, value, substr(effective, 1, 10) AS effective_day FROM ("
            "SELECT patient_id, field, value, effective, ROW_NUMBER() OVER (PARTITION BY patient_id, field "
            "ORDER BY effective DESC NULLS LAST, id DESC) AS rn FROM lab_value) ranked WHERE rn = 1",
        ),
        Query(
            "case_field_latest",
            "SELECT patient_id, path, value_text, value_number FROM (SELECT patient_id, code AS path, value_text, "
            "value_number, ROW_NUMBER() OVER (PARTITION BY patient_id, code ORDER BY effective DESC NULLS LAST, "
            f"id DESC) AS rn FROM observation WHERE system = '{fhir_codes.CASE_FIELD_SYSTEM}') ranked WHERE rn = 1",
        ),
    ]


def _medications(p: Parameters) -> list[Query]:
    return [
        Query(
            "medication",
            f"SELECT id, {_patient('patient_ref')} AS patient_id, status, intent, substr(authored, 1, 10) AS "
            "authored_day, text, dose_value, lower(dose_unit) AS dose_unit, reason_code FROM fhir_medication "
            "WHERE patient_ref IS NOT NULL",
        ),
        Query(
            "medication_text",
            "SELECT id, lower(COALESCE(text, '')) AS text FROM medication "
            "UNION ALL SELECT id, lower(COALESCE(display, '')) AS text FROM fhir_medication_coding",
            keep=False,
        ),
        Query(
            "medication_concept",
            "SELECT id, concept, MIN(CASE WHEN source = 'code' THEN value END) AS coded_value, MIN(value) AS value "
            "FROM (SELECT mc.id, k.concept, k.value, 'code' AS source FROM fhir_medication_coding mc "
            "JOIN ref_condition_code k ON k.concept IN ('agent', 'antineoplastic') AND k.system = mc.system "
            "AND k.code = mc.code "
            # ATC L01: antineoplastic agents (as the FHIR reader reads them).
            "UNION ALL SELECT mc.id, 'antineoplastic' AS concept, '' AS value, 'code' AS source "
            f"FROM fhir_medication_coding mc WHERE mc.system = '{fhir_codes.system('atc')}' "
            f"AND upper(substr(mc.code, 1, 3)) = '{fhir_codes.table()['antineoplastic']['atc_prefix']}' "
            "UNION ALL SELECT x.id, x.concept, x.value, 'text' AS source FROM ("
            + _worded("medication_text", ("agent", "calcium_vitamin_d", "calcitonin", "antineoplastic"))
            + ") x) m GROUP BY id, concept",
        ),
        Query(
            "medication_record",
            "SELECT m.id, m.patient_id, m.status, m.authored_day, m.dose_value, m.dose_unit, m.reason_code, "
            "COALESCE(a.coded_value, a.value) AS agent, "
            "CASE WHEN s.id IS NOT NULL THEN 1 ELSE 0 END AS is_supplement, "
            "CASE WHEN c.id IS NOT NULL THEN 1 ELSE 0 END AS is_calcitonin, "
            "CASE WHEN x.id IS NOT NULL THEN 1 ELSE 0 END AS is_antineoplastic, "
            f"CASE WHEN m.status = 'active' OR m.authored_day >= '{p.agent_window_start}' THEN 1 ELSE 0 END "
            "AS is_current FROM medication m "
            "LEFT JOIN medication_concept a ON a.id = m.id AND a.concept = 'agent' "
            "LEFT JOIN medication_concept s ON s.id = m.id AND s.concept = 'calcium_vitamin_d' "
            "LEFT JOIN medication_concept c ON c.id = m.id AND c.concept = 'calcitonin' "
            "LEFT JOIN medication_concept x ON x.id = m.id AND x.concept = 'antineoplastic' "
            f"WHERE COALESCE(m.status, '') NOT IN {_in(_SKIPPED_MEDICATION_STATUSES)} "
            f"AND m.intent IN {_in(_ORDER_INTENTS)}",
        ),
        Query(
            "current_agent",
            "SELECT patient_id, agent, dose_value, dose_unit, reason_code FROM (SELECT patient_id, agent, dose_value, "
            "dose_unit, reason_code, ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY authored_day DESC NULLS LAST, "
            "id DESC) AS rn FROM medication_record WHERE agent IS NOT NULL AND is_current = 1) ranked WHERE rn = 1",
        ),
    ]


def _procedures() -> list[Query]:
    return [
        Query(
            "procedure",
            f"SELECT id, {_patient('patient_ref')} AS patient_id, substr(performed, 1, 10) AS performed_day, "
            "code_text FROM fhir_procedure WHERE patient_ref IS NOT NULL AND status IN ('completed', 'in-progress')",
        ),
        Query(
            "procedure_text",
            "SELECT id, lower(COALESCE(code_text, '')) AS text FROM procedure "
            "UNION ALL SELECT id, lower(COALESCE(display, '')) AS text FROM fhir_procedure_coding",
            keep=False,
        ),
        Query(
            "procedure_concept",
            "SELECT DISTINCT p.patient_id, x.concept FROM ("
            + _coded_concepts("fhir_procedure_coding", "procedure")
            + " UNION "
            + _worded("procedure_text", ("dental", "chemotherapy", "surgical_review", "radiotherapy"))
            + ") x JOIN procedure p ON p.id = x.id",
        ),
    ]


def _imaging(p: Parameters) -> list[Query]:
    # Mirrors bonemet.fhir.codes.modality_from_dicom: NM is a bone scan only when the
    # description says bone; PT is PSMA PET when it says PSMA, otherwise PET-CT.
    return [
        Query(
            "imaging",
            f"SELECT i.id, {_patient('i.patient_ref')} AS patient_id, substr(i.started, 1, 10) AS started_day, "
            "i.description, CASE WHEN upper(i.modality_code) = 'NM' THEN CASE WHEN lower(COALESCE(i.description, "
            "'')) LIKE '%bone%' THEN 'bone_scan' END WHEN upper(i.modality_code) = 'PT' THEN CASE WHEN "
            "lower(COALESCE(i.description, '')) LIKE '%psma%' THEN 'psma_pet' ELSE 'pet_ct' END "
            "ELSE r.modality END AS modality FROM fhir_imaging i LEFT JOIN ref_modality r "
            "ON r.dicom = upper(i.modality_code) WHERE i.patient_ref IS NOT NULL "
            "AND COALESCE(i.status, '') NOT IN ('cancelled', 'entered-in-error') "
            f"AND (i.started IS NULL OR substr(i.started, 1, 10) >= '{p.oldest_day(Kind.imaging)}')",
        ),
    ]


def _cohort(p: Parameters) -> list[Query]:
    return [
        Query(
            # Death recorded on or before the as-of date: not screened, only counted (as the FHIR reader says).
            "deceased",
            "SELECT DISTINCT id AS patient_id FROM fhir_patient WHERE lower(COALESCE(deceased_flag, '')) = 'true' "
            f"OR (deceased_date IS NOT NULL AND substr(deceased_date, 1, 10) <= '{p.as_of.isoformat()}')",
        ),
        Query(
            "cohort_candidate",
            "SELECT DISTINCT patient_id FROM ("
            "SELECT patient_id FROM condition_concept WHERE concept IN ('bone_metastasis', 'pathologic_fracture') "
            "UNION ALL SELECT patient_id FROM lesion_condition "
            "UNION ALL SELECT c.patient_id FROM condition_concept c JOIN known_cancer k ON k.patient_id = c.patient_id "
            "WHERE c.concept = 'bone_pain' AND c.clinical_status IN ('active', 'recurrence', 'relapse') "
            "UNION ALL SELECT l.patient_id FROM lab_latest l JOIN known_cancer k ON k.patient_id = l.patient_id "
            f"WHERE l.field = 'labs.calcium_mg_dl' AND l.value > {DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL}"
            ") candidates",
        ),
        Query(
            "cohort_deceased",
            "SELECT c.patient_id FROM cohort_candidate c JOIN deceased d ON d.patient_id = c.patient_id",
        ),
        Query(
            "cohort",
            "SELECT c.patient_id FROM cohort_candidate c LEFT JOIN deceased d ON d.patient_id = c.patient_id "
            "WHERE d.patient_id IS NULL",
        ),
        Query(
            "cohort_chunk",
            "SELECT patient_id, FLOOR((ROW_NUMBER() OVER (ORDER BY patient_id) - 1) / "
            f"{p.chunk_size}) AS chunk FROM cohort",
        ),
        Query("cohort_case", _cohort_case_sql()),
        Query(
            "cohort_lab",
            "SELECT l.patient_id, l.field, l.value FROM lab_latest l "
            "JOIN cohort_chunk k ON k.patient_id = l.patient_id",
        ),
        Query(
            "cohort_case_field",
            "SELECT f.patient_id, f.path, f.value_text, f.value_number FROM case_field_latest f "
            "JOIN cohort_chunk k ON k.patient_id = f.patient_id",
        ),
        Query(
            "cohort_lesion",
            # A lesion record is taken whole; a coded bone metastasis gives its site codes and
            # the spinal level written in the site text (as the FHIR reader reads them).
            "SELECT l.patient_id, l.id AS condition_id, l.kind, "
            "CASE WHEN d.id IS NOT NULL THEN 1 ELSE 0 END AS has_detail, "
            "CASE WHEN d.id IS NOT NULL THEN d.bone ELSE s.bone END AS bone, "
            "CASE WHEN d.id IS NOT NULL THEN d.side ELSE s.side END AS side, "
            + ", ".join(f"d.{name}" for name in LESION_FIELDS if name not in ("bone", "side"))
            + f", {_level_from_text('c.body_site_text')} AS site_level"
            " FROM lesion_condition l JOIN cohort_chunk k ON k.patient_id = l.patient_id "
            "JOIN condition c ON c.id = l.id "
            "LEFT JOIN lesion_detail d ON d.id = l.id LEFT JOIN lesion_site s ON s.id = l.id",
        ),
        Query(
            "cohort_imaging",
            "SELECT i.patient_id, i.id AS study_id, i.modality, i.started_day, i.description FROM imaging i "
            "JOIN cohort_chunk k ON k.patient_id = i.patient_id WHERE i.modality IS NOT NULL",
        ),
    ]


# A vertebral level in free text ('T11 vertebral body'), without backslashes: the two
# engines read backslashes in SQL string literals differently.
_LEVEL_PATTERN = "(^|[^A-Z0-9])([CTLS])([0-9]{1,2})([^0-9]|$)"


def _level_from_text(column: str) -> str:
    letter = f"regexp_extract(upper({column}), '{_LEVEL_PATTERN}', 2)"
    number = f"regexp_extract(upper({column}), '{_LEVEL_PATTERN}', 3)"
    return f"CASE WHEN {letter} <> '' THEN concat({letter}, CAST(CAST({number} AS INT) AS STRING)) END"


def _flag(alias: str, sql: str) -> str:
    return f"LEFT JOIN ({sql}) {alias} ON {alias}.patient_id = k.patient_id"


def _cohort_case_sql() -> str:
    joins = [
        "LEFT JOIN fhir_patient pt ON pt.id = k.patient_id",
        "LEFT JOIN primary_latest pr ON pr.patient_id = k.patient_id",
        "LEFT JOIN known_cancer kc ON kc.patient_id = k.patient_id",
        _flag(
            "vis",
            "SELECT patient_id, MAX(CASE WHEN concept = 'visceral_disseminated' THEN 2 ELSE 1 END) AS grade "
            "FROM condition_concept WHERE concept IN ('visceral_disseminated', 'visceral_nodular') "
            "AND clinical_status IN ('active', 'recurrence', 'relapse') GROUP BY patient_id",
        ),
        _flag(
            "brain",
            "SELECT DISTINCT patient_id FROM condition_concept WHERE concept = 'brain_metastasis' "
            "AND clinical_status IN ('active', 'recurrence', 'relapse')",
        ),
        _flag(
            "pain",
            "SELECT patient_id, MIN(onset) AS onset FROM condition_concept WHERE concept = 'bone_pain' "
            "AND clinical_status IN ('active', 'recurrence', 'relapse') GROUP BY patient_id",
        ),
        _flag(
            "benign",
            "SELECT DISTINCT patient_id FROM condition_concept WHERE concept = 'benign_pain_explanation' "
            "AND clinical_status IN ('active', 'recurrence', 'relapse')",
        ),
        "LEFT JOIN current_agent ag ON ag.patient_id = k.patient_id",
        _flag("med", "SELECT DISTINCT patient_id FROM medication"),
        _flag(
            "sup",
            "SELECT DISTINCT patient_id FROM medication_record WHERE is_supplement = 1 AND is_current = 1",
        ),
        _flag("dental", "SELECT DISTINCT patient_id FROM procedure_concept WHERE concept = 'dental'"),
        _flag("surg", "SELECT DISTINCT patient_id FROM procedure_concept WHERE concept = 'surgical_review'"),
        _flag(
            "chemo",
            "SELECT DISTINCT patient_id FROM procedure_concept WHERE concept = 'chemotherapy' "
            "UNION SELECT DISTINCT patient_id FROM medication_record WHERE is_antineoplastic = 1",
        ),
        "LEFT JOIN lab_latest ca ON ca.patient_id = k.patient_id AND ca.field = 'labs.calcium_mg_dl'",
        _flag(
            "treated",
            "SELECT DISTINCT m.patient_id FROM medication_record m JOIN lab_latest c ON c.patient_id = m.patient_id "
            "AND c.field = 'labs.calcium_mg_dl' WHERE (m.agent IS NOT NULL OR m.is_calcitonin = 1) "
            "AND m.authored_day >= c.effective_day",
        ),
        _flag(
            "imaged",
            "SELECT i.patient_id, COUNT(*) AS studies FROM imaging i LEFT JOIN (SELECT patient_id, MIN(onset) AS onset "
            "FROM condition_concept WHERE concept = 'bone_pain' GROUP BY patient_id) bp "
            "ON bp.patient_id = i.patient_id "
            "WHERE i.modality IS NOT NULL AND (bp.onset IS NULL OR i.started_day >= bp.onset) GROUP BY i.patient_id",
        ),
    ]
    columns = (
        "k.patient_id, k.chunk, pt.gender, substr(pt.birth_date, 1, 10) AS birth_date, pr.primary_site, "
        "pr.onset AS primary_onset, COALESCE(kc.has_unknown_primary, 0) AS unknown_primary, "
        "CASE WHEN vis.grade = 2 THEN 'disseminated' WHEN vis.grade = 1 THEN 'nodular' END AS visceral, "
        "CASE WHEN brain.patient_id IS NOT NULL THEN 1 ELSE 0 END AS brain_metastases, "
        "CASE WHEN pain.patient_id IS NOT NULL THEN 1 ELSE 0 END AS bone_pain, pain.onset AS pain_onset, "
        "CASE WHEN benign.patient_id IS NOT NULL THEN 1 ELSE 0 END AS pain_explained, "
        "ag.agent AS current_agent, ag.dose_value AS agent_dose_value, ag.dose_unit AS agent_dose_unit, "
        "ag.reason_code AS agent_reason_code, CASE WHEN med.patient_id IS NOT NULL THEN 1 ELSE 0 END "
        "AS has_medication_record, CASE WHEN sup.patient_id IS NOT NULL THEN 1 ELSE 0 END AS supplement_current, "
        "CASE WHEN dental.patient_id IS NOT NULL THEN 1 ELSE 0 END AS dental_done, "
        "CASE WHEN surg.patient_id IS NOT NULL THEN 1 ELSE 0 END AS surgical_review, "
        "CASE WHEN chemo.patient_id IS NOT NULL THEN 1 ELSE 0 END AS chemotherapy, "
        "ca.effective_day AS calcium_day, CASE WHEN treated.patient_id IS NOT NULL THEN 1 ELSE 0 END "
        "AS hypercalcaemia_treated_after, COALESCE(imaged.studies, 0) AS imaging_since_pain"
    )
    return f"SELECT {columns} FROM cohort_chunk k {' '.join(joins)}"


def case_queries(parameters: Parameters) -> list[Query]:
    """Every shared query, in the order they must run."""
    return [
        *_conditions(),
        *_lesions(),
        *_observations(parameters),
        *_medications(parameters),
        *_procedures(),
        *_imaging(parameters),
        *_cohort(parameters),
    ]


def chunk_query(table: str, chunk: int) -> str:
    """One chunk of a cohort table, in a stable order (the same rows, in the same order, on every engine)."""
    order = {
        "cohort_case": "patient_id",
        "cohort_lab": "patient_id, field",
        "cohort_case_field": "patient_id, path",
        "cohort_lesion": "patient_id, condition_id",
        "cohort_imaging": "patient_id, started_day, study_id",
    }[table]
    columns = "*" if table == "cohort_case" else "t.*"
    source = (
        f"SELECT {columns} FROM cohort_case WHERE chunk = {chunk}"
        if table == "cohort_case"
        else f"SELECT t.* FROM {table} t JOIN cohort_chunk k ON k.patient_id = t.patient_id WHERE k.chunk = {chunk}"
    )
    return f"{source} ORDER BY {order}"
