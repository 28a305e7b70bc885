"""Radiology report reader (placeholder while being written)."""
