"""The demo round: realistic invented agencies, services, assessments and evidence (not the domain; built on it)."""
