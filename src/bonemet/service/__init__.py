"""The web service: CDS Hooks 2.0 (patient-view, order-select, order-sign), the JSON API and FHIR."""

from __future__ import annotations

from bonemet.service.app import ORDER_SELECT, ORDER_SIGN, PATIENT_VIEW, SERVICES, app_from_env, create_app
from bonemet.service.settings import IssuerTrust, Settings

__all__ = [
    "ORDER_SELECT",
    "ORDER_SIGN",
    "PATIENT_VIEW",
    "SERVICES",
    "IssuerTrust",
    "Settings",
    "app_from_env",
    "create_app",
]
