"""A release: built from tables in one place, validated, written atomically, with its history."""
