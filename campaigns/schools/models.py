"""Schools, classes and the five-ones ledger (issue 3)."""
