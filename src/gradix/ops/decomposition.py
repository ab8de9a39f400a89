"""Determinants, inverses, solves and matrix decompositions with their gradients (public as
gradix.linalg)."""
