"""Reusable widgets: desk header, virtual ticket table, safe text rendering."""
