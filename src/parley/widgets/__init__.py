"""Kernel-backed widgets (JupyterLab, Binder, Voilà). Exports show their static charts."""

from parley.widgets.builder import ScenarioBuilder
from parley.widgets.explorer import Explorer

__all__ = ["Explorer", "ScenarioBuilder"]
