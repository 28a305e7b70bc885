"""The clinician web pages (case entry, assessment, patient handout, reference) for FastAPI.

from fastapi import FastAPI
from bonemet.web import mount_web

app = FastAPI()
mount_web(app)  # adds the pages and /static
"""

from __future__ import annotations

from bonemet.web.routes import mount_web, router

__all__ = ["mount_web", "router"]
