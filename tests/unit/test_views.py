from __future__ import annotations

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


def test_app_language_links_point_at_the_same_page() -> None:
    html = views.language_links("ja", '/voila/render/01-overview.ipynb"><script>')
    assert '<strong aria-current="page" lang="ja">日本語</strong>' in html
    assert 'href="/voila/render/01-overview.ipynb&quot;&gt;&lt;script&gt;?lang=en"' in html
    assert "<script>" not in html and html.count("<a ") == 1


def test_takeaways_are_attributed_to_the_original_article() -> None:
    # story.yaml's takeaways are the seed article's own closing points (its opinions):
    # the heading must say whose they are, in both languages.
    from parley.story.load import load_story

    story = load_story(Path(__file__).resolve().parents[2] / "data")
    assert story.meta.takeaways
    assert "<h3>元記事のまとめ</h3>" in views.takeaways(story, "ja")
    assert "<h3>The original article&#x27;s takeaways</h3>" in views.takeaways(story, "en")
