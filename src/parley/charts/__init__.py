"""Pure chart builders: DataFrames in, ``plotly.graph_objects.Figure`` out."""
