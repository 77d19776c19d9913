"""Test helpers shared by the Handoff test suites (brokers, fixtures, ledgers)."""
