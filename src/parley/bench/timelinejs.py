"""The peer of figure 7: a Knight Lab TimelineJS 3 page of the same events, from disk.

TimelineJS comes from the npm registry (pinned), its web fonts are replaced by local files,
so both pages load with the network cut."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from parley.base.markup import escape

TIMELINEJS_FONTS = (  # TimelineJS's font.default.css takes these from Google Fonts' CDN
    "@fontsource/pt-sans@5.3.0",
    "@fontsource/pt-sans-narrow@5.3.0",
    "@fontsource/pt-serif@5.3.0",
)


def npm_package(spec: str, peer_dir: Path) -> Path:
    """``spec`` (name@version) unpacked under ``peer_dir``: ``npm pack`` fetches the
    published tarball only (no install scripts run); reused on later runs."""
    name, version = spec.rsplit("@", 1)
    target = peer_dir / f"{name.rsplit('/', 1)[-1]}-{version}"
    if (target / "package.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (needed once to fetch the TimelineJS peer)")
    peer_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "pack", "--silent", "--pack-destination", str(peer_dir), spec],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-400:]}")
    tarball = peer_dir / done.stdout.strip().splitlines()[-1]
    unpack = Path(tempfile.mkdtemp(dir=peer_dir, prefix=".unpack-"))
    try:
        with tarfile.open(tarball) as tar:
            tar.extractall(unpack, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        (unpack / "package").rename(target)
    finally:
        shutil.rmtree(unpack, ignore_errors=True)
        tarball.unlink(missing_ok=True)
    return target


_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def local_font_css(timelinejs: Path, fonts: dict[str, Path], out: Path) -> tuple[Path, int]:
    """TimelineJS's default font CSS with every web-font URL pointing at a local woff2 file
    of the same family, weight and style; returns the file and how many faces it maps."""
    css = (timelinejs / "dist" / "css" / "fonts" / "font.default.css").read_text(encoding="utf-8")
    mapped = 0

    def local(match: re.Match[str]) -> str:
        nonlocal mapped
        face = match.group()
        family = re.search(r"font-family:\s*'([^']+)'", face)
        weight = re.search(r"font-weight:\s*(\d+)", face)
        style = re.search(r"font-style:\s*(\w+)", face)
        if not (family and weight and style):
            return face
        slug = family.group(1).lower().replace(" ", "-")
        file = fonts[slug] / "files" / f"{slug}-latin-{weight.group(1)}-{style.group(1)}.woff2"
        if slug not in fonts or not file.is_file():
            return face
        mapped += 1
        url = os.path.relpath(file, out.parent)
        return re.sub(r"src:[^;]*;", f"src: url({url}) format('woff2');", face)

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_FACE.sub(local, css), encoding="utf-8")
    return out, mapped


def timelinejs_peer(peer_dir: Path) -> tuple[Path, dict[str, Path]]:
    package = npm_package(TIMELINEJS, peer_dir)
    fonts = {}
    for spec in TIMELINEJS_FONTS:
        path = npm_package(spec, peer_dir)
        fonts[spec.rsplit("@", 1)[0].rsplit("/", 1)[-1]] = path
    return package, fonts


def timelinejs_page(
    story: Any, package: Path, fonts: dict[str, Path], out: Path, lang: str = "ja"
) -> Path:
    """A TimelineJS 3 page of the story's events, everything loaded from local files."""

    def date(d: Any) -> dict[str, int]:
        return {"year": d.year, "month": d.month, "day": d.day}

    events = []
    for e in story.events:
        item: dict[str, Any] = {
            "unique_id": e.id,
            "start_date": date(e.date),
            "text": {
                "headline": escape(e.title(lang)),
                "text": f"<p>{escape(e.summary(lang))}</p>",
            },
            "group": e.kind,
        }
        if e.end_date:
            item["end_date"] = date(e.end_date)
        events.append(item)
    font_css, _ = local_font_css(package, fonts, out.parent / "font.default.local.css")
    rel = os.path.relpath(package, out.parent)
    data = json.dumps({"events": events}, ensure_ascii=False).replace("</", "<\\/")
    # language "en": its strings are built in; any other is fetched, which file:// forbids.
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>TimelineJS 3 — same events</title>
<link rel="stylesheet" href="{rel}/dist/css/timeline.css">
<script src="{rel}/dist/js/timeline.js"></script>
<style>html, body {{ margin: 0; height: 100%; }} #timeline {{ height: 600px; }}</style>
</head><body>
<div id="timeline"></div>
<script>
var data = {data};
var options = {{
  script_path: new URL({json.dumps(rel + "/dist/js/")}, location.href).href,
  font: new URL({json.dumps(font_css.name)}, location.href).href,
  language: "en",
  hash_bookmark: false
}};
window.timeline = new TL.Timeline("timeline", data, options);
window.timeline.on("loaded", function () {{ window.__parleyDoneAt = performance.now(); }});
</script>
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


TIMELINEJS = "@knight-lab/timelinejs@3.9.11"  # pinned: the peer must not move under us
