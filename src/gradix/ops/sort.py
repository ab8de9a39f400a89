"""Sorting and order statistics: sort, argsort, topk, median, unique."""
__all__ = []
