"""Binder without Docker: repo2docker's install reproduced, then every notebook executed.

repo2docker (with a ``binder/`` folder) ignores the root's files, picks Python from
``binder/runtime.txt``, runs ``pip install -r binder/requirements.txt`` from the repository
root, so the ``-e .`` line installs the package itself, and then ``binder/postBuild`` (Lab's
settings overrides). This test does the same in a fresh
virtual environment, checks what a Binder session needs (the kernel, the JupyterLab
extensions for widgets and plotly, Voilà's server extension for the app-mode link) and runs
each notebook in its own kernel from that environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from e2e_support import NOTEBOOKS, ROOT, TIMINGS

pytestmark = pytest.mark.slow

BINDER = ROOT / "binder"
PLOTLY = "application/vnd.plotly.v1+json"
# Runs in the Binder environment's python: each notebook in a fresh kernel (cwd notebooks/,
# as JupyterLab starts it), the executed copies written to OUT; stops at the first error.
RUNNER = """
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

out = Path(sys.argv[1])
for name in sys.argv[2:]:
    path = Path(name)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    nbformat.write(nb, out / path.name)
    print("executed", path.name, flush=True)
probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
NotebookClient(probe, timeout=120, kernel_name="python3").execute()
print("kernel prefix", probe.cells[0].outputs[0]["text"].strip())
"""


def binder_env(venv: Path, tmp: Path) -> dict[str, str]:
    """Only the new environment on PATH; no trace of the dev .venv or of user Jupyter state."""
    dev_bin = str(ROOT / ".venv" / "bin")
    path = [str(venv / "bin")] + [
        p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != dev_bin
    ]
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER", "PARLEY_", "PLOTLY_", "VOILA_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        PATH=os.pathsep.join(path),
        JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env


def run(cmd: list[str], env: dict[str, str], timeout: float) -> str:
    proc = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


def test_binder_install_runs_every_notebook(tmp_path: Path) -> None:
    files = sorted(p.name for p in BINDER.iterdir())
    expected = ["overrides.json", "postBuild", "requirements.txt", "runtime.txt"]
    assert files == expected, f"simulate the other Binder files: {files}"
    version = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    python = shutil.which(f"python{version}")
    assert python, f"binder/runtime.txt asks for Python {version}: python{version} is not on PATH"
    venv = tmp_path / "binder-env"
    env = binder_env(venv, tmp_path)
    started = time.perf_counter()

    run([python, "-m", "venv", str(venv)], env, timeout=120)
    run([str(venv / "bin" / "pip"), "install", "-r", "binder/requirements.txt"], env, timeout=900)
    # repo2docker then runs binder/postBuild (from the repository root, the environment's
    # python first on PATH): JupyterLab's settings overrides land in the environment.
    run(["bash", "binder/postBuild"], env, timeout=60)
    installed = time.perf_counter() - started
    overrides = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    notification = json.loads(overrides.read_text())["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false", "no Jupyter news pop-up on Binder"
    template = venv / "share" / "jupyter" / "voila" / "templates" / "parley"
    assert (template / "index.html.j2").is_file(), "the app-mode link uses parley's template"
    chosen = venv / "etc" / "jupyter" / "jupyter_server_config.d" / "parley-voila.json"
    assert json.loads(chosen.read_text())["VoilaConfiguration"]["template"] == "parley"
    py = str(venv / "bin" / "python")
    where = run([py, "-c", "import parley; print(parley.__file__)"], env, timeout=60)
    assert Path(where.strip()).is_relative_to(ROOT / "src"), "-e . installs this checkout"

    # What `jupyter labextension list` and `jupyter server extension list` read, without
    # their start-up cost: the prebuilt extensions and the server extension's switch.
    share = venv / "share" / "jupyter" / "labextensions"
    for extension in ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly", "anywidget"):
        assert (share / extension / "package.json").is_file(), f"{extension} missing"
    server = venv / "etc" / "jupyter" / "jupyter_server_config.d" / "voila.json"
    enabled = json.loads(server.read_text())["ServerApp"]["jpserver_extensions"]
    assert enabled.get("voila.server_extension") is True, "app mode needs voila/render"

    out = tmp_path / "executed"
    out.mkdir()
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    executed_at = time.perf_counter()
    log = run(
        [py, "-c", RUNNER, str(out), *map(str, notebooks)],
        env,
        timeout=900,
    )
    assert f"kernel prefix {venv}" in log, "the kernel must run in the Binder environment"
    for path in notebooks:
        committed = nbformat.read(path, as_version=4)
        fresh = nbformat.read(out / path.name, as_version=4)
        outputs = [o for c in fresh.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], path.name
        charts = [o for o in outputs if PLOTLY in o.get("data", {})]
        expected = [
            o
            for c in committed.cells
            if c.cell_type == "code"
            for o in c.outputs
            if PLOTLY in o.get("data", {})
        ]
        assert len(charts) == len(expected), f"{path.name}: charts differ from the committed ones"
    TIMINGS["Binder simulation (venv + pip install / all notebooks executed)"] = (
        f"{installed:.0f} s / {time.perf_counter() - executed_at:.0f} s, "
        f"total {time.perf_counter() - started:.0f} s"
    )
