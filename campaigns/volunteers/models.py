"""Volunteer teams, rosters, shifts and service hours (issue 8)."""
