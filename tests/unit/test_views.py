from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley.views import blocks as views


def test_hook_and_points_both_languages(mini_story) -> None:
    ja = views.hook(mini_story, "overview", "ja")
    assert "問い?" in ja and "答え" in ja and "<h3>概要</h3>" in ja
    en = views.key_points(mini_story, "overview", "en")
    assert "<li>Point one</li>" in en and "Key points" in en


def test_unknown_chapter(mini_story) -> None:
    with pytest.raises(views.UnknownChapter, match="no chapter 'nope'"):
        views.hook(mini_story, "nope", "ja")


def test_sources_list_escaped_and_counted(mini_story) -> None:
    html = views.sources(mini_story, ["wire-one", "un-record", "wire-one"], "en")
    assert "(2: wire 1, primary 1)" in html
    assert 'href="https://example.org/one"' in html and "2025-02-12" in html


def test_markup_in_data_is_text(mini_story) -> None:
    hostile = mini_story.model_copy(deep=True)
    object.__setattr__(hostile.meta.title, "en", "<script>alert(1)</script>")
    html = views.header(hostile, "en")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_methods_paragraphs(mini_story) -> None:
    assert "<details>" in views.methods(mini_story, "ja")


def test_takeaways_are_attributed_to_the_original_article() -> None:
    # story.yaml's takeaways are the seed article's own closing points (its opinions):
    # the heading must say whose they are, in both languages.
    from parley.story.load import load_story

    story = load_story(Path(__file__).resolve().parents[2] / "data")
    assert story.meta.takeaways
    assert "<h3>元記事のまとめ</h3>" in views.takeaways(story, "ja")
    assert "<h3>The original article&#x27;s takeaways</h3>" in views.takeaways(story, "en")


def _noted(mini_story):
    """The mini story with speaker notes on its timeline figure and its key points."""
    from parley.story.model import SpeakerNote, Text

    note = SpeakerNote(
        text=Text(ja="年表を指す <b>注</b>", en="Point at the <b>timeline</b>"),
        sources=["wire-one", "un-record", "wire-one"],
    )
    story = mini_story.model_copy(deep=True)
    chapter = story.meta.chapters[0]
    object.__setattr__(chapter, "figure_notes", {"timeline": note})
    object.__setattr__(chapter, "key_points_notes", note)
    return story, note


def test_speaker_notes_are_escaped_and_cite_their_sources(mini_story) -> None:
    _, note = _noted(mini_story)
    html = views.speaker_note(note, "en")
    assert html.startswith('<aside class="notes">') and html.endswith("</aside>")
    assert "Point at the &lt;b&gt;timeline&lt;/b&gt;" in html and "<b>" not in html
    assert "Sources for the numbers" in html
    marks = views.cite_marks(note.sources)
    assert marks in html and marks.count('class="parley-cite"') == 2, "one mark per source"
    assert 'data-source="wire-one"' in marks and 'href="#/sources"' in marks
    assert views.speaker_note(None, "ja") == ""
    assert "数字の出典" in views.speaker_note(note, "ja")


def test_a_figure_note_is_the_showing_chapters_else_the_first_one(mini_story) -> None:
    story, note = _noted(mini_story)
    assert views.figure_note(story, "overview", "timeline") is note
    assert views.figure_note(story, None, "timeline") is note, "any chapter's note for it"
    assert views.figure_note(story, "overview", "economy") is None
    assert views.noted_sources(story) == ["wire-one", "un-record"]


def test_deck_source_list_gives_publisher_title_date_and_link(mini_story) -> None:
    html = views.deck_sources(mini_story, ["un-record", "wire-one", "no-such", "un-record"], "en")
    items = re.findall(r'<li data-source="([^"]+)">(.*?)</li>', html)
    assert [sid for sid, _ in items] == ["un-record", "wire-one"]
    by_id = {s.id: s for s in mini_story.sources}
    for sid, item in items:
        src = by_id[sid]
        assert f"<b>{src.publisher}</b>" in item and src.published.isoformat() in item
        assert f'<a href="{src.url}"' in item and " · " in item
    assert "Sources cited in this deck" in html


def test_chapter_anchor_escapes_its_id() -> None:
    html = views.chapter_anchor('x"><script>')
    assert "<script>" not in html and "hidden" in html
