"""Migration scripts (a package so that the wheel ships them)."""
