"""The review web app (``partnerflow review``): security, state, views and its FastAPI routers."""
