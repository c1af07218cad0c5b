"""The story as pandas tables, and the pure questions asked of them (stances, deals, filters)."""
