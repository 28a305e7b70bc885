"""Clinical facts with their sources: drugs, primaries, imaging, radiotherapy, citations."""
