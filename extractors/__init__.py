"""Parsing and extraction logic: pure functions over bytes and text, no file or network I/O."""

EXTRACTOR_VERSION = "0.1.0"
