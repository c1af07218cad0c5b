"""What readers see besides charts: escaped HTML blocks, reference tables, the figure registry."""
