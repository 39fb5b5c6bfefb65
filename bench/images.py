#!/usr/bin/env python
"""Time and peak memory of processing one phone photo: `.venv/bin/python bench/images.py`.

For a 12 MP and a 48 MP JPEG and a 12 MP HEIC (as iPhones take), each in a fresh process pinned to one CPU core, prints the time
`prepare_photo` takes (decode, turn upright, convert to sRGB, resize, encode three WebP widths;
best and median of 5 runs) and the peak resident memory of that process, with and without the
photo. Storage is left out: it is one small file write per width.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# label: (width, height, format)
PHOTOS = {
    "12 MP JPEG": (4032, 3024, "JPEG"),
    "48 MP JPEG": (8064, 6048, "JPEG"),
    "12 MP HEIC": (4032, 3024, "HEIF"),
}
RUNS = 5


def photo_like(label: str, path: Path) -> None:
    """Detail at every scale (noise enlarged from several sizes), like a real phone photo.

    The JPEG comes out about as large as a phone's: 3 to 5 MB for 12 MP.
    """
    import pillow_heif
    from PIL import ExifTags, Image

    pillow_heif.register_heif_opener()
    width, height, fmt = PHOTOS[label]
    size = (width, height)

    layers = []
    for divisor in (256, 64, 16, 4, 1):
        small = (max(1, size[0] // divisor), max(1, size[1] // divisor))
        layers.append(
            Image.merge("RGB", [Image.effect_noise(small, 64) for _ in range(3)]).resize(
                size, Image.Resampling.BICUBIC
            )
        )
    photo = layers[0]
    for weight, layer in zip((0.5, 0.35, 0.2, 0.1), layers[1:], strict=True):
        photo = Image.blend(photo, layer, weight)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Model] = "Bench Camera"
    if fmt == "JPEG":
        photo.save(path, fmt, quality=92, exif=exif.tobytes())
    else:
        # Quality 50 gives the size of an iPhone HEIC of a detailed scene (2 to 3 MB).
        photo.save(path, fmt, quality=50, exif=exif.tobytes())


def measure(label: str, path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
    os.environ.setdefault("TESTING", "1")
    # Settings only: no database is opened, so none needs to be started.
    os.environ.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files import File

    from tributes.photos.pipeline import prepare_photo

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    # Peak so far: Python, Django and Pillow loaded, before any photo.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(RUNS):
        with path.open("rb") as handle:
            start = time.perf_counter()
            prepared = prepare_photo(File(handle))
            times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    widths = ", ".join(
        f"{r.width}x{r.height} {len(r.data) // 1024} KB" for r in prepared.renditions
    )
    width, height, _fmt = PHOTOS[label]
    print(
        f"{label} {width}x{height}, {path.stat().st_size / 1_048_576:.1f} MB: "
        f"best {min(times):.3f} s, median {statistics.median(times):.3f} s on one core; "
        f"peak memory {peak / 1024:.0f} MB ({before / 1024:.0f} MB before the photo)\n"
        f"    stored: {widths}"
    )


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "make":
        photo_like(sys.argv[2], Path(sys.argv[3]))
        return
    if len(sys.argv) == 3:
        measure(sys.argv[1], Path(sys.argv[2]))
        return
    print(f"Machine: nproc {len(os.sched_getaffinity(0))}, {cpu_model()}")
    print(f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    # Other work on the machine slows every figure: the load says how busy it was.
    print("Load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder:
        for index, label in enumerate(PHOTOS):
            path = Path(folder) / f"photo-{index}"
            # Fresh processes to make the photo and to measure it: Linux keeps a process's peak
            # memory across exec, so the measuring process must never have made a photo.
            subprocess.run([sys.executable, __file__, "make", label, str(path)], check=True)
            subprocess.run([sys.executable, __file__, label, str(path)], check=True)


if __name__ == "__main__":
    main()
