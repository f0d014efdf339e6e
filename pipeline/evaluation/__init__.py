"""Scoring extractions against gold (facts, matching, scores, calibration), corpora and training."""
