"""Pydantic models: the parsed document, extracted records and the published tables."""
