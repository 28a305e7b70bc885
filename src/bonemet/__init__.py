"""bonemet: clinical decision support for metastatic bone disease."""

from __future__ import annotations

__version__ = "0.1.0"
