"""What a bench run measures and how often: story sizes, repeats, timeouts."""

from __future__ import annotations

from dataclasses import dataclass

SIZES: tuple[int, ...] = (100, 1_000, 10_000)


INTERACTIONS = 50


PAGE_TIMEOUT_MS = 60_000


KERNEL_TIMEOUT = 900  # seconds per cell (the 10,000-event probe is the longest)


@dataclass(frozen=True)
class Plan:
    sizes: tuple[int, ...]
    load_repeats: int
    load_repeats_big: int
    builder_repeats: int
    interactions: int
    notebook_rounds: int
    deck_loads: int
    peer_loads: int
    budget: float  # seconds for the whole run: the notebook rounds stop early to keep it

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:  # a smoke run: every figure once, the 10,000-event story left out
            return cls(SIZES[:2], 1, 1, 1, 10, 1, 1, 2, 300.0)
        # Medians over more runs where the shared 2-core machine makes single loads noisy
        # (a page's loads spread over ±30 %): with 15 loads a deck's readiness ratio moved
        # between 1.19 and 1.50 from one language or run to the next, so decks get 25. The
        # whole run stays near 6.5 minutes (budget: 9).
        return cls(SIZES, 9, 3, 3, INTERACTIONS, 5, 25, 15, 540.0)
