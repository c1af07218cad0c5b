"""The ``parley`` command. Exit codes: 0 ok, 1 bad content, 2 bad usage."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from parley import settings
from parley.story.load import load_story, read_story
from parley.story.model import ENTITY_FILES, Story
from parley.story.problems import ContentError, errors

DATA_HELP = "$PARLEY_DATA, else the nearest data/ at or above the working folder"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="parley", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check every data file; list all problems")
    v.add_argument("dir", nargs="?", type=Path, help=f"data folder (default: {DATA_HELP})")
    v.add_argument("--data", type=Path, help="data folder (same as DIR)")
    v.add_argument(
        "--strict", action="store_true", help="warnings fail too (exit 1), not only errors"
    )

    d = sub.add_parser("data", help="write one table per entity for readers")
    d.add_argument("--data", type=Path, help=f"data folder (default: {DATA_HELP})")
    d.add_argument("--format", choices=("csv", "json"), default="csv")
    d.add_argument("--out", type=Path, default=Path("build/data"), help="output folder")

    e = sub.add_parser("export", help="build offline slide decks and static pages")
    e.add_argument("--data", type=Path, help=f"data folder (default: {DATA_HELP})")
    e.add_argument("--lang", choices=("ja", "en"), help="one language (default: both)")
    e.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    e.add_argument(
        "--no-pdf", action="store_true", help="skip the PDF handouts (they need Chromium)"
    )
    e.add_argument(
        "--site",
        action="store_true",
        help="pages for hosting: shared cacheable plotly.js and style sheet, link previews",
    )
    e.add_argument("--base-url", help="with --site: the absolute URL the site is served at")
    e.add_argument(
        "--no-pictures",
        action="store_true",
        help="no static chart pictures (drawing them needs Chromium)",
    )

    b = sub.add_parser("bench", help="measure speed and size against their references")
    b.add_argument("--data", type=Path, help=f"data folder (default: {DATA_HELP})")
    b.add_argument("--out", type=Path, default=Path("build"), help="where bench.json goes")
    b.add_argument("--quick", action="store_true", help="fewer repeats (for tests)")

    a = sub.add_parser(
        "bench-app", help="readers app mode holds: bursts of HTTP readers, Chromium pages"
    )
    a.add_argument("--out", type=Path, default=Path("build"), help="where bench-app.json goes")
    a.add_argument(
        "--bursts", default="1,10,20,40", help="readers arriving at once, per fresh server"
    )
    a.add_argument("--pages", type=int, default=10, help="Chromium pages at once (0: none)")
    a.add_argument(
        "--one-page",
        type=int,
        default=0,
        metavar="N",
        help="instead: N single pages, one after another on one warm server, and where each "
        "page's CPU and bytes go (bench-app-page.json)",
    )

    s = sub.add_parser("schema", help="write the JSON Schema of every data file")
    s.add_argument("--out", type=Path, help="output folder (default: the data folder's schema/)")
    return p


def _load(data_dir: Path, *, cache: bool = False) -> Story | None:
    """The story if it has no error (warnings are `parley validate`'s to show), else None.
    ``cache``: through the warm cache (a story validated before is not read again)."""
    if cache:
        try:
            return load_story(data_dir, cache=True)
        except ContentError as exc:
            found = errors(exc.problems)
    else:
        story, problems = read_story(data_dir, warnings=False)
        found = errors(problems)
        if not found and story is not None:
            return story
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"{len(found)} problem(s) in {data_dir}", file=sys.stderr)
    return None


def _validate(args: argparse.Namespace) -> int:
    if args.dir and args.data and args.dir != args.data:
        print("parley validate: give the data folder once (DIR or --data)", file=sys.stderr)
        return 2
    data_dir = settings.data_dir(args.dir or args.data)
    story, problems = read_story(data_dir)
    # Errors first, then warnings, then waivers (read_story orders them so).
    for problem in problems:
        print(problem, file=sys.stderr)
    n = Counter(p.severity for p in problems)
    failing = n["error"] + (n["warning"] if args.strict else 0)
    if problems:
        print(
            f"{data_dir}: {n['error']} error(s), {n['warning']} warning(s), "
            f"{n['waived']} waived" + (" (--strict: warnings fail)" if args.strict else ""),
            file=sys.stderr,
        )
    if failing or story is None:
        return 1
    counts = {"chapters": len(story.meta.chapters)}
    counts.update({attr: len(getattr(story, attr)) for attr, _ in ENTITY_FILES.values()})
    print(f"{data_dir}: valid — " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def _data(args: argparse.Namespace) -> int:
    from parley.publish.data import write_tables

    story = _load(settings.data_dir(args.data))
    if story is None:
        return 1
    for path in write_tables(story, args.out, args.format):
        print(f"wrote {path}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from parley.story.schema import write

    for path in write(args.out or settings.data_dir() / "schema"):
        print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from parley.publish.export import Site, run, site_base_url

    site = None
    if args.site or args.base_url is not None:
        if not (args.site and args.base_url is not None):
            print("parley export: --site and --base-url go together", file=sys.stderr)
            return 2
        try:
            site = Site(site_base_url(args.base_url))
        except ValueError as exc:
            print(f"parley export: --base-url {args.base_url!r}: {exc}", file=sys.stderr)
            return 2
    data_dir = settings.data_dir(args.data)
    # Read and checked once, before any kernel starts; the kernels get it from the warm cache.
    story = _load(data_dir, cache=True)
    if story is None:
        return 1
    langs = [args.lang] if args.lang else list(settings.LANGS)
    return run(
        data_dir,
        langs,
        args.out,
        handouts=not args.no_pdf,
        story=story,
        site=site,
        pictures=not args.no_pictures,
    )


def _bench(args: argparse.Namespace) -> int:
    from parley.bench.main import run as run_bench

    return run_bench(data_dir=settings.data_dir(args.data), out_dir=args.out, quick=args.quick)


def _bench_app(args: argparse.Namespace) -> int:
    from parley.bench.app import run as run_bench_app
    from parley.publish.export import find_notebooks_dir

    try:
        bursts = tuple(int(n) for n in args.bursts.split(",") if n.strip())
    except ValueError:
        print(f"parley bench-app: --bursts: numbers, e.g. 1,10: {args.bursts!r}", file=sys.stderr)
        return 2
    if any(n < 1 or n > 200 for n in bursts) or not 0 <= args.pages <= 50:
        print("parley bench-app: 1-200 readers a burst, 0-50 pages", file=sys.stderr)
        return 2
    if not 0 <= args.one_page <= 10:
        print("parley bench-app: --one-page: 1-10 pages", file=sys.stderr)
        return 2
    root = find_notebooks_dir().parent  # the repository: its Makefile and voila.json
    if args.one_page:
        from parley.bench.apppage import run as run_one_page

        return run_one_page(root, args.out, args.one_page)
    return run_bench_app(root, args.out, bursts, args.pages)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "validate": _validate,
        "data": _data,
        "schema": _schema,
        "export": _export,
        "bench": _bench,
        "bench-app": _bench_app,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # e.g. an output folder that cannot be written
        print(
            f"parley {args.command}: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
