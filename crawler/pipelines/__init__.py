"""Item pipelines: topic tagging, then de-duplication and indexing."""
