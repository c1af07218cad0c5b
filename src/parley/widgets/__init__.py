"""Kernel-backed widgets (JupyterLab, Binder, Voilà). Exports show their static charts."""

from .builder import ScenarioBuilder
from .explorer import Explorer

__all__ = ["Explorer", "ScenarioBuilder"]
