"""Learned components, built by ``make train`` from the annotated corpora and versioned with the code."""
