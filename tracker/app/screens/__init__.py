"""Full screens: main, triage, errors."""
