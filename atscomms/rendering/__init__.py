"""Rendering: sandboxed templates -> HTML / text / SMS."""
