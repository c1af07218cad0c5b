"""parley: a bilingual explainer of the 2025 US–Russia–Ukraine negotiations."""

__version__ = "0.1.0"
