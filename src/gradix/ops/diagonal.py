"""Diagonals and triangles of matrices: diag, diagonal, trace, tril, triu."""
__all__ = []
