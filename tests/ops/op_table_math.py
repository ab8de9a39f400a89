"""Op-table rows for elementwise math: trigonometric, hyperbolic, logarithms, erf, lerp, ... (see op_table.py)."""
