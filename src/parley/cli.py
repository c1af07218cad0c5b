"""The ``parley`` command. Exit codes: 0 ok, 1 bad content, 2 bad usage."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from parley.story.load import DEFAULT_DATA, read_story
from parley.story.model import ENTITY_FILES, Story
from parley.story.problems import errors


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="parley", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check every data file; list all problems")
    v.add_argument("dir", nargs="?", type=Path, help="data folder (default: data/)")
    v.add_argument("--data", type=Path, help="data folder (same as DIR)")
    v.add_argument(
        "--strict", action="store_true", help="warnings fail too (exit 1), not only errors"
    )

    d = sub.add_parser("data", help="write one table per entity for readers")
    d.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder")
    d.add_argument("--format", choices=("csv", "json"), default="csv")
    d.add_argument("--out", type=Path, default=Path("build/data"), help="output folder")

    e = sub.add_parser("export", help="build offline slide decks and static pages")
    e.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder")
    e.add_argument("--lang", choices=("ja", "en"), help="one language (default: both)")
    e.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    e.add_argument(
        "--no-pdf", action="store_true", help="skip the PDF handouts (they need Chromium)"
    )

    b = sub.add_parser("bench", help="measure speed and size against their references")
    b.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder")
    b.add_argument("--out", type=Path, default=Path("build"), help="where bench.json goes")
    b.add_argument("--quick", action="store_true", help="fewer repeats (for tests)")

    s = sub.add_parser("schema", help="write the JSON Schema of every data file")
    s.add_argument("--out", type=Path, default=DEFAULT_DATA / "schema")
    return p


def _load(data_dir: Path) -> Story | None:
    """The story if it has no error (warnings are `parley validate`'s to show), else None."""
    story, problems = read_story(data_dir, warnings=False)
    found = errors(problems)
    if found or story is None:
        for problem in found:
            print(problem, file=sys.stderr)
        print(f"{len(found)} problem(s) in {data_dir}", file=sys.stderr)
        return None
    return story


def _validate(args: argparse.Namespace) -> int:
    if args.dir and args.data and args.dir != args.data:
        print("parley validate: give the data folder once (DIR or --data)", file=sys.stderr)
        return 2
    data_dir = args.dir or args.data or DEFAULT_DATA
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
    from parley.export_data import write_tables

    story = _load(args.data)
    if story is None:
        return 1
    for path in write_tables(story, args.out, args.format):
        print(f"wrote {path}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from parley.story.schema import write

    for path in write(args.out):
        print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from parley.export import run

    if _load(args.data) is None:  # check the content before starting any kernel
        return 1
    langs = [args.lang] if args.lang else ["ja", "en"]
    return run(data_dir=args.data, langs=langs, out_dir=args.out, handouts=not args.no_pdf)


def _bench(args: argparse.Namespace) -> int:
    from parley.bench import run as run_bench

    return run_bench(data_dir=args.data, out_dir=args.out, quick=args.quick)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "validate": _validate,
        "data": _data,
        "schema": _schema,
        "export": _export,
        "bench": _bench,
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
