"""Whole-Plan pricers: what the Plan causes AWS to bill beyond its resources' own list
prices (`charges.py` holds the shared line and helpers; one module per kind of charge)."""
