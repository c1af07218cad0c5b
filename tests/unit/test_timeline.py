from __future__ import annotations

import plotly.graph_objects as go

from parley.charts.timeline import timeline
from parley.tables import frames


def _fig(story, lang="ja"):
    # go.Figure validates the builder's dict, and gives the tests plotly's attribute access.
    return go.Figure(
        timeline(frames.events(story), frames.sources(story), lang, sides=frames.sides(story))
    )


def story_colour(story, side_id: str) -> str:
    return next(s.colour for s in story.meta.sides if s.id == side_id)


def test_one_trace_per_side_in_side_colours(mini_story) -> None:
    fig = _fig(mini_story)
    assert [t.name for t in fig.data] == ["米国"]
    assert fig.data[0].marker.color == story_colour(mini_story, "us")
    assert list(fig.data[0].customdata[:, 0]) == ["call-one", "vote-day", "talks"]


def test_lanes_and_verification_marks(mini_story) -> None:
    trace = _fig(mini_story, "en").data[0]
    assert list(trace.y) == [
        "Diplomacy (calls, talks, visits)",
        "UN votes",
        "Diplomacy (calls, talks, visits)",
    ]
    assert list(trace.marker.symbol) == ["circle", "circle-open", "circle"]
    assert list(trace.marker.size) == [24, 18, 12]


def test_hover_carries_date_sources_and_marks(mini_story) -> None:
    hover = _fig(mini_story, "en").data[0].hovertext
    assert "2025-02-12" in hover[0] and "Example Wire (2025-02-12)" in hover[0]
    assert "Unverified" in hover[1] and "Differing accounts: 1" in hover[1]
    assert "Note on framing" in hover[1]
    assert "2025-03-23 – 2025-03-25" in hover[2]


def test_content_is_escaped(mini_story) -> None:
    hover = _fig(mini_story, "en").data[0].hovertext[0]
    assert "<script>" not in hover and "&lt;script&gt;alert(1)&lt;/script&gt;" in hover
    ja = _fig(mini_story, "ja").data[0].hovertext[0]
    assert "&lt;b&gt;太字&lt;/b&gt;" in ja


def test_range_slider_and_language(mini_story) -> None:
    fig = _fig(mini_story, "en")
    assert fig.layout.xaxis.rangeslider.visible is True
    assert fig.layout.title.text == "The negotiations, event by event"
    assert _fig(mini_story, "ja").layout.title.text == "交渉の歩み"


def test_prepared_hover_matches_row_by_row_hover(mini_story) -> None:
    """prepare() reads plain dicts and cached source labels; the text is as from iterrows."""
    import pandas as pd

    from parley.charts.common import source_labels
    from parley.charts.timeline import hover_text, prepare

    events, sources = frames.events(mini_story), frames.sources(mini_story)
    for lang in ("ja", "en"):
        expected = [hover_text(row, sources, lang) for _, row in events.iterrows()]
        assert prepare(events, sources, lang)["hover"].tolist() == expected
        kept = prepare(events, sources, lang, source_labels(sources))
        pd.testing.assert_frame_equal(kept, prepare(events, sources, lang))
