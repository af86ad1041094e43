"""pytest fixtures that run the local Stripe emulator for the hub's tests (see conftest.py)."""
