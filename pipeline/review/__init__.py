"""The review web app (``partnerflow review``): reviewers correct extracted rows against the text."""

from pipeline.review.app import ReviewError, check_bind, create_app, is_loopback, serve

__all__ = ["ReviewError", "check_bind", "create_app", "is_loopback", "serve"]
