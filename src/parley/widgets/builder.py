"""The scenario builder: set a hypothetical settlement per issue, see each side's verdict.

Logic is :mod:`parley.tables.settlement`; this module wires a slider per issue to it and keeps the
zone-of-agreement chart's settlement markers in step.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from parley import i18n
from parley.charts.plot import Plot
from parley.charts.zone import zone_of_agreement
from parley.story.model import Story
from parley.tables import sides as side_table
from parley.tables.frames import Tables
from parley.tables.settlement import (
    Verdict,
    judge,
    scenario_outcomes,
    stated_limits,
)
from parley.views.builder import verdict_html
from parley.widgets.chart import Chart

CUSTOM = ""


class ScenarioBuilder:
    def __init__(self, story: Story, tables: Tables, lang: str | None = None) -> None:
        self.story = story
        self.tables = tables
        self.lang = i18n.resolve(lang)
        self.as_of = pd.Timestamp(story.meta.as_of)
        self._hold = False
        # Ranges and red lines depend on the positions and as_of only: once, not per move.
        self._styles = side_table.styles(tables["sides"])
        self._limits = stated_limits(
            tables["positions"], self.as_of, side_table.side_ids(tables["sides"])
        )
        self._charts: dict[str, Plot] = {}  # per language, see _draw_chart
        self.sliders = {
            issue.id: w.FloatSlider(
                min=issue.scale.min,
                max=issue.scale.max,
                step=0.5,
                value=(issue.scale.min + issue.scale.max) / 2,
                continuous_update=False,
                readout_format=".1f",
                # Wide enough for the longest English issue title ("Economic cooperation and
                # who pays for reconstruction"): a cut-off title hides what the slider sets.
                style={"description_width": "30em"},
                layout=w.Layout(width="52em"),
            )
            for issue in story.issues
        }
        self.preset = w.Dropdown(layout=w.Layout(width="30em"))
        self.verdict = w.HTML()
        self.chart = Chart(self._chart(self.lang))  # its first figure in its own state
        for slider in self.sliders.values():
            slider.observe(self._on_slider, names="value")
        self.preset.observe(self._on_preset, names="value")
        self._relabel(self.lang)
        self.widget = w.VBox([self.preset, *self.sliders.values(), self.verdict, self.chart.sync()])
        i18n.on_change(self.relabel)

    @property
    def settlement(self) -> dict[str, float]:
        return {issue: float(s.value) for issue, s in self.sliders.items()}

    def relabel(self, lang: str) -> None:
        self._relabel(lang)

    def warm(self, lang: str) -> None:
        """Build ``lang``'s zone chart now, so a later switch to it only swaps figures."""
        self._chart(i18n.resolve(lang))

    def _relabel(self, lang: str) -> None:
        self.lang = i18n.resolve(lang)
        issues = {i.id: i for i in self.story.issues}
        for issue_id, slider in self.sliders.items():
            slider.description = issues[issue_id].title(self.lang)
            slider.description_allow_html = False
        scen = self.tables["scenarios"].drop_duplicates("id")
        self._hold = True
        try:
            current = self.preset.value
            self.preset.options = [(i18n.label("builder_custom", self.lang), CUSTOM)] + [
                (row[f"title_{self.lang}"], row["id"]) for _, row in scen.iterrows()
            ]
            self.preset.value = (
                current if current in {v for _, v in self.preset.options} else CUSTOM
            )
            self.preset.description = i18n.label("builder_preset", self.lang)
            self.preset.style = {"description_width": "initial"}
        finally:
            self._hold = False
        self._draw_chart()
        self.update()

    def set_settlement(self, values: dict[str, float]) -> list[Verdict]:
        """Move sliders programmatically (tests, benchmarks); returns the new verdicts."""
        self._hold = True
        try:
            for issue, value in values.items():
                self.sliders[issue].value = value
            self.preset.value = CUSTOM
        finally:
            self._hold = False
        return self.update()

    def choose_scenario(self, scenario_id: str) -> list[Verdict]:
        self.preset.value = scenario_id  # _on_preset moves the sliders
        return self.update()

    def _on_preset(self, change: dict[str, Any]) -> None:
        if self._hold or not change["new"]:
            return
        outcomes = scenario_outcomes(self.tables["scenarios"], change["new"])
        self._hold = True
        try:
            for issue, value in outcomes.items():
                if issue in self.sliders:
                    self.sliders[issue].value = value
        finally:
            self._hold = False
        self.update()

    def _on_slider(self, _change: dict[str, Any]) -> None:
        if self._hold:
            return
        self._hold = True
        try:
            self.preset.value = CUSTOM
        finally:
            self._hold = False
        self.update()

    def _draw_chart(self) -> None:
        """Show the zone chart in the current language, built once per language.

        Only its settlement diamonds depend on the sliders, and :meth:`update` (always run
        after this) moves them to the current settlement, so a kept figure draws the same.
        """
        self.chart.show(self._chart(self.lang))

    def _chart(self, lang: str) -> Plot:
        if lang not in self._charts:
            self._charts[lang] = zone_of_agreement(
                self.tables["positions"],
                self.tables["issues"],
                self.as_of,
                lang,
                settlement=self.settlement,
                sides=self.tables["sides"],
            )
        return self._charts[lang]

    def update(self) -> list[Verdict]:
        settlement = self.settlement
        result = judge(self._limits, settlement)
        self.verdict.value = self._verdict_html(result, settlement)
        rows = {issue: k for k, issue in enumerate(self.tables["issues"]["id"])}
        if self.chart.data:  # move the settlement diamonds (the last trace) only: cheap
            self.chart.restyle(
                -1,
                {
                    "x": [settlement[i] for i in rows if i in settlement],
                    "y": [rows[i] for i in rows if i in settlement],
                },
            )
        return result

    def _verdict_html(self, result: list[Verdict], settlement: dict[str, float]) -> str:
        # The same table as the static page's builder (one HTML for both).
        table = verdict_html(self.story, self.tables, settlement, self.lang, result)
        return f'<div role="status" aria-live="polite">{table}</div>'


__all__ = ["ScenarioBuilder"]
