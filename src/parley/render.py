"""How a figure reaches the page: plotly's JSON mimetype in notebooks, HTML in exports.

Committed notebooks carry ``application/vnd.plotly.v1+json`` only (small, deterministic,
rendered by JupyterLab). nbconvert drops that mimetype, so exports start the kernel with
``PLOTLY_RENDERER`` naming an HTML renderer; this module is the one place that decides.
"""

from __future__ import annotations

import os

import plotly.graph_objects as go

DEFAULT_RENDERER = "plotly_mimetype"


def renderer() -> str:
    return os.environ.get("PLOTLY_RENDERER", DEFAULT_RENDERER)


def show(fig: go.Figure) -> None:
    fig.show(renderer=renderer())
