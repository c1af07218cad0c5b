"""Pure chart builders: DataFrames and a language in, a :data:`~parley.charts.plot.Plot` out."""
