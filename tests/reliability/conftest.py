"""Reliability and security tests reuse the store fixtures (a desk with every role, a frozen clock)."""

from tests.store.conftest import clock, customer, desk_template, store  # noqa: F401
