"""Opening model files: time and peak memory for files the app writes and for crafted ones.

Each file is opened in a fresh process (``Network.load``, as File > Open does); its peak
resident memory above a process that only imported the library is reported, with the time
and the outcome. The peer is NumPy's own ``np.load`` of the same ``.npz`` (the natural way
to read such a file), for the files the app writes; on the crafted files it is not run:
it would allocate what they declare. The budget: every crafted file refused with a
``ModelFileError`` in under 300 MB.

Usage: python tests/bench/model_files.py
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from helpers import tests_module  # tests/bench/helpers.py: the scripts run from here

ROOT = Path(__file__).resolve().parents[2]


MEASURE = """
import sys, time
sys.path.insert(0, {root!r})
import numpy as np
from nncore import Network
def status(field):  # kB; the high-water mark starts afresh in each program, unlike ru_maxrss
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field))
before = status("VmRSS:")
started = time.perf_counter()
try:
    if {peer!r}:
        with np.load({path!r}, allow_pickle=False) as archive:
            arrays = [archive[name] for name in archive.files]
    else:
        Network.load({path!r})
    outcome = "opened"
except Exception as error:
    outcome = type(error).__name__ + ": " + str(error).split("': ", 1)[-1][:60]
seconds = time.perf_counter() - started
peak = status("VmHWM:") - before
print(seconds, peak / 1024, outcome, sep="\\t")
"""


def measure(path: Path, peer: bool = False) -> tuple[float, float, str]:
    """Seconds, MB of peak memory above the imports, and what happened."""
    code = MEASURE.format(root=str(ROOT), path=str(path), peer=peer)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, check=True)  # fmt: skip
    seconds, peak, outcome = done.stdout.strip().split("\t")
    return float(seconds), float(peak), outcome


def written_by_the_app(folder: Path) -> dict[str, Path]:
    from nncore import Layer, Network

    files = {}
    for hidden in ((256, 128), (1024, 1024), (2048, 2048), (4096, 4096)):
        layers = [Layer(64, "input"), *(Layer(n, "relu") for n in hidden), Layer(10, "softmax")]
        path = folder / f"app-{'-'.join(map(str, hidden))}.npz"
        Network(layers, seed=0, dtype="float32").save(path)
        files[f"64-{'-'.join(map(str, hidden))}-10 ({path.stat().st_size / 2**20:.1f} MiB)"] = path
    return files


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def crafted(folder: Path, good: Path) -> dict[str, Path]:
    """The hostile files of the user-data issue, made small."""
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(np.load(good)["header"].tobytes())
    files = {}

    def archive(name: str, content: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", compression=method) as out:
            for member, data in content.items():
                out.writestr(member, data)
        return path

    lying = _npy(np.zeros(4, np.float32)).replace(b"(4,)", b"(2748779069440,)")
    files["a 10 TB array declared in a few bytes"] = archive(
        "terabyte.npz", {**members, "weights_0.npy": lying}
    )
    nested = np.frombuffer(b"[" * 100_000 + b"]" * 100_000, np.uint8)
    files["a header nested 100,000 deep"] = archive(
        "nested.npz", {**members, "header.npy": _npy(nested)}
    )
    files["bzip2 members"] = archive("bzip2.npz", members, zipfile.ZIP_BZIP2)
    wide = {**header, "layers": [{"size": 64, "activation": "input"},
                                 {"size": 1_000_000, "activation": "relu"},
                                 {"size": 10, "activation": "softmax"}]}  # fmt: skip
    files["layers of 10^6 units"] = archive(
        "wide.npz",
        {**members, "header.npy": _npy(np.frombuffer(json.dumps(wide).encode(), np.uint8))},
    )
    many = archive("many.npz", {**members, **{f"x{i}": b"" for i in range(200_000)}})
    files["200,000 members"] = many
    lying_deflate = tests_module("crafted_models").lying_deflate
    files["a deflate member lying: says 128 B, inflates to 2 GB"] = lying_deflate(
        folder / "bomb.npz", members, 2 << 30
    )
    return files


def main() -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        app_files = written_by_the_app(folder)
        print("| file the app writes | Network.load | np.load (peer) | outcome |")
        print("|---|---|---|---|")
        for what, path in app_files.items():
            ours, peer = measure(path), measure(path, peer=True)
            print(f"| {what} | {ours[0] * 1e3:.0f} ms, {ours[1]:.0f} MB | "
                  f"{peer[0] * 1e3:.0f} ms, {peer[1]:.0f} MB | {ours[2]} |")  # fmt: skip
        print()
        print("| crafted file | size | Network.load | peak memory | outcome |")
        print("|---|---|---|---|---|")
        good = next(iter(app_files.values()))
        for what, path in crafted(folder, good).items():
            seconds, peak, outcome = measure(path)
            size = path.stat().st_size
            print(f"| {what} | {size / 1024:,.0f} KB | {seconds * 1e3:.0f} ms | {peak:.0f} MB "
                  f"| {outcome} |")  # fmt: skip


if __name__ == "__main__":
    main()
