"""Part of daihoi.voting."""
