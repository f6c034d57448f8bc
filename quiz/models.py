"""Question bank, live games and challenges (issues 4-6)."""
