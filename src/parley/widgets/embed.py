"""Nesting a plotly FigureWidget inside an ipywidgets box."""

from __future__ import annotations

import plotly.graph_objects as go


def embed(figure: go.FigureWidget) -> go.FigureWidget:
    """Copy the figure's current data and layout into the widget's synced state.

    plotly does this only in ``FigureWidget._repr_mimebundle_``, which runs when the figure
    itself is displayed, never when it sits inside a VBox; a front end that builds the view
    from the model's state (Voilà does) would otherwise draw an empty chart until the first
    update. Call it after the figure's first draw, before the box is displayed.
    """
    figure._repr_mimebundle_()
    return figure
