"""FigureWidgets inside ipywidgets boxes: made, filled and synced the same way by every widget."""

from __future__ import annotations

import plotly.graph_objects as go

from ..charts.figure import Figure


def figure_widget() -> go.FigureWidget:
    """An empty FigureWidget with an empty template until :func:`show_figure` brings a
    chart's layout and its lean template: a bare one validates plotly's whole default
    template, and the lean one here would be validated twice."""
    return go.FigureWidget(layout={"template": {}})


def show_figure(widget: go.FigureWidget, fig: Figure) -> None:
    """Replace what ``widget`` shows with ``fig``'s traces and layout, in one update."""
    with widget.batch_update():
        widget.data = ()
        widget.add_traces(fig["data"])
        widget.layout = fig["layout"]


def embed(figure: go.FigureWidget) -> go.FigureWidget:
    """Copy the figure's current data and layout into the widget's synced state.

    plotly does this only in ``FigureWidget._repr_mimebundle_``, which runs when the figure
    itself is displayed, never when it sits inside a VBox; a front end that builds the view
    from the model's state (Voilà does) would otherwise draw an empty chart until the first
    update. Call it after the figure's first draw, before the box is displayed.
    """
    figure._repr_mimebundle_()
    return figure


def fit_width(figure: go.FigureWidget) -> None:
    """Redraw the figure at its box's width.

    Inside an ipywidgets box the chart is first drawn before the box is on the page, so
    plotly.js falls back to its 700 px default and only resizes on a JupyterLab panel
    resize. Turning autosize off and on makes plotly.js measure the box again; call it once
    the widget is shown (the notebooks do, when the kernel is next idle).
    """
    figure.layout.autosize = False
    figure.layout.autosize = True
