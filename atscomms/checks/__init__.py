"""Checks: rules over the model and rendered output -> findings."""
