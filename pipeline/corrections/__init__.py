"""Reviewers' corrections: the ledger, its migrations, applying it, conflicts, saved extraction, CSV."""
