"""The notebooks `make app` serves: the committed ones less their saved outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from parley.publish.appnotebooks import main, write_app_notebooks

ROOT = Path(__file__).resolve().parents[2]


def _executed(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('<b>hi</b>')", execution_count=3)
    cell.outputs = [nbformat.v4.new_output("stream", text="<b>hi</b>\n")]
    cell.metadata["execution"] = {"iopub.execute_input": "2026-12-07T00:00:00Z"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Title <i>as written</i>"), cell]
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)


def test_copies_keep_every_cell_and_drop_only_what_a_run_makes(tmp_path: Path) -> None:
    source, out = tmp_path / "nb", tmp_path / "served"
    source.mkdir()
    _executed(source / "a.ipynb")
    before = (source / "a.ipynb").read_bytes()
    assert write_app_notebooks(source, out) == [out / "a.ipynb"]
    served = nbformat.read(out / "a.ipynb", as_version=4)
    original = nbformat.read(source / "a.ipynb", as_version=4)
    assert [c.source for c in served.cells] == [c.source for c in original.cells]
    code = served.cells[1]
    assert code.outputs == [] and code.execution_count is None
    assert "execution" not in code.metadata and "widgets" not in served.metadata
    assert (source / "a.ipynb").read_bytes() == before  # the source is never written
    assert [p.name for p in out.iterdir()] == ["a.ipynb"]  # no partial file left


def test_copies_are_signed_so_the_server_does_not_warn(tmp_path: Path, monkeypatch) -> None:
    """The server checks each notebook's signature as it reads it and warned "Notebook …
    is not trusted" once per reader; the copies are signed in the Jupyter data folder."""
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    source, out = tmp_path / "nb", tmp_path / "served"
    source.mkdir()
    _executed(source / "a.ipynb")
    write_app_notebooks(source, out)
    notary = NotebookNotary()  # a new one, as the server's (same data folder, same secret)
    assert notary.check_signature(nbformat.read(out / "a.ipynb", as_version=4))
    assert not notary.check_signature(nbformat.read(source / "a.ipynb", as_version=4))


def test_a_notebook_gone_from_the_source_goes_from_the_copies(tmp_path: Path) -> None:
    source, out = tmp_path / "nb", tmp_path / "served"
    source.mkdir()
    _executed(source / "a.ipynb")
    _executed(source / "b.ipynb")
    write_app_notebooks(source, out)
    (source / "b.ipynb").unlink()
    write_app_notebooks(source, out)
    assert sorted(p.name for p in out.glob("*.ipynb")) == ["a.ipynb"]


def test_the_committed_notebooks_shrink_to_their_sources(tmp_path: Path) -> None:
    written = write_app_notebooks(ROOT / "notebooks", tmp_path)
    assert len(written) == len(list((ROOT / "notebooks").glob("*.ipynb")))
    overview = tmp_path / "01-overview.ipynb"
    assert overview.stat().st_size < (ROOT / "notebooks" / "01-overview.ipynb").stat().st_size / 10


def test_bad_input_is_one_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "nb"
    source.mkdir()
    assert main([str(source), str(tmp_path / "out")]) == 1
    assert "no notebooks in" in capsys.readouterr().err

    (source / "broken.ipynb").write_text("{not json", encoding="utf-8")
    assert main([str(source), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "broken.ipynb" in err and "not a readable notebook" in err and "Traceback" not in err
    assert (source / "broken.ipynb").read_text(encoding="utf-8") == "{not json"

    _executed(source / "a.ipynb")
    (source / "broken.ipynb").unlink()
    assert main([str(source), str(source)]) == 1  # would strip the notebooks themselves
    assert "would overwrite" in capsys.readouterr().err
    assert nbformat.read(source / "a.ipynb", as_version=4).cells[1].outputs

    assert main([str(source)]) == 2
    assert "usage" in capsys.readouterr().err
