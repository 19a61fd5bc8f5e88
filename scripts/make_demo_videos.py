"""Render the demo courses' short slide videos into src/pintar_ekspor/courses/demo_media/.

    .venv/bin/pip install 'imageio-ffmpeg>=0.6'   # a static ffmpeg build, for this script only
    .venv/bin/python scripts/make_demo_videos.py

Each slide of `courses/demo_content/videos.py` is drawn with matplotlib (Agg) and shown for a
few seconds; frames are piped to ffmpeg and encoded as VP9 WebM (small, plays in every
browser). The output is committed, so neither `make run` nor the tests need ffmpeg.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import imageio_ffmpeg  # type: ignore[import-not-found]
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from pintar_ekspor.courses.demo_content.videos import DEMO_VIDEOS  # noqa: E402

WIDTH, HEIGHT, DPI = 640, 360, 80
FPS = 2
SECONDS_PER_SLIDE = 5
OUT = Path(__file__).resolve().parents[1] / "src" / "pintar_ekspor" / "courses" / "demo_media"
INK, ACCENT, PAPER = "#14213d", "#0b6e78", "#f7f9fb"


def _frame(title: str, heading: str, text: str, index: int, total: int) -> bytes:
    fig = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=PAPER)
    fig.text(0.05, 0.9, "PINTAR EKSPOR", color=ACCENT, fontsize=11, weight="bold")
    fig.text(0.05, 0.82, title, color=INK, fontsize=10, parse_math=False)
    fig.text(0.05, 0.62, heading, color=INK, fontsize=20, weight="bold", parse_math=False)
    body = "\n".join(textwrap.wrap(text, width=52))
    fig.text(0.05, 0.52, body, color=INK, fontsize=14, va="top", linespacing=1.5, parse_math=False)
    fig.text(0.95, 0.05, f"{index}/{total}", color=ACCENT, fontsize=10, ha="right")
    fig.canvas.draw()
    rgb = bytes(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    plt.close(fig)
    # RGBA -> RGB: drop every fourth byte.
    return bytes(b for i, b in enumerate(rgb) if i % 4 != 3)


def render(name: str) -> Path:
    video = DEMO_VIDEOS[name]
    target = OUT / f"demo-{name}.webm"
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS),
        "-i", "-",
        "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "45", "-row-mt", "1",
        "-pix_fmt", "yuv420p", "-an",
        str(target),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.PIPE)  # noqa: S603
    assert process.stdin is not None
    slides = video["slides"]
    for index, slide in enumerate(slides, start=1):
        frame = _frame(video["title"], slide["heading"], slide["text"], index, len(slides))
        for _ in range(FPS * SECONDS_PER_SLIDE):
            process.stdin.write(frame)
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit(f"ffmpeg failed for {name}")
    return target


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in DEMO_VIDEOS:
        path = render(name)
        print(f"{path.relative_to(OUT.parents[3])}: {path.stat().st_size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
