"""A run: discover raw files, process each document in a Prefect task, cache results, hand over tables."""
