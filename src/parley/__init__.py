"""parley: a bilingual explainer of the US–Russia–Ukraine negotiations since 2025."""

__version__ = "0.1.0"
