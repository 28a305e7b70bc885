"""Version of the knowledge base, reported in every Assessment as `knowledge_version`.

Bump it whenever a clinical fact, threshold, dose or citation changes, so an assessment
can be traced to the facts it was made from.
"""

from __future__ import annotations

# Year.month of the last review of the clinical facts (guidelines read up to ASTRO 2024,
# Endocrine Society 2023 and the Xgeva label revision of 05/2025).
# ".2": the second review of 2026-12 (clinical safety round 2: low calcium, steroids and MSCC,
# age, re-irradiation, life-expectancy gates, lymphoma staging, dental care, ADT, radium-223).
KNOWLEDGE_VERSION = "2026.12.3"
