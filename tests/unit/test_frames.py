from __future__ import annotations

import pandas as pd

from parley.tables import frames


def test_events_frame(mini_story) -> None:
    df = frames.events(mini_story)
    assert list(df["id"]) == ["call-one", "vote-day", "talks"]
    assert df["date"].is_monotonic_increasing
    assert df.loc[0, "side"] == "us"  # first actor (trump) is in group us
    assert df.loc[1, "verification"] == "unverified" and df.loc[1, "accounts"] == 1
    assert df.loc[1, "framing_note_en"] == "The original article dates this differently."
    assert pd.isna(df.loc[0, "end_date"]) and df.loc[2, "end_date"] == pd.Timestamp("2025-03-25")


def test_positions_frame(mini_story) -> None:
    df = frames.positions(mini_story).set_index("id")
    assert df.loc["russia-ceasefire", "side"] == "russia"
    assert df.loc["russia-ceasefire", "red_line_at"] == 6
    assert pd.isna(df.loc["ukraine-ceasefire", "red_line_at"])


def test_every_table_builds(mini_story) -> None:
    for name, build in frames.TABLES.items():
        df = build(mini_story)
        assert isinstance(df, pd.DataFrame) and "id" in df.columns, name
        assert len(df) >= 1, name
