"""Domain rules: pure functions and value types, no Qt and no database."""
