"""Op-table rows for layout ops: diagonals and triangles, roll, tile, stacking, selection by mask or index (see op_table.py)."""
