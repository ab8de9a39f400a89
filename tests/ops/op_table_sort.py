"""Op-table rows for sorting and order statistics, cumulative and nan-aware reductions (see op_table.py)."""
