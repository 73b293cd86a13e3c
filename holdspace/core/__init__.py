"""Holdspace's domain logic in plain, typed Python.

Nothing in this package imports Django or the apps; an import-linter contract enforces it.
"""
