"""Page images made readable before OCR: light text on a dark band turned dark on light.

Tesseract reads dark text on a light page; a title printed white on a coloured banner comes
back as noise ("LAL dds foe anf"). Such a band is a large area that is mostly dark, unlike a
glyph of even a large heading, so it is found with a window mean and its pixels inverted.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_WINDOW = 61  # pixels at 300 dpi (~5 mm): larger than any glyph's stroke
_DARK_MEAN = 90  # a window this dark on average lies inside a band
_DARK_PIXEL = 128
_STEP = 4


def _window_mean(values: np.ndarray, size: int) -> np.ndarray:
    """Mean of each pixel's ``size`` x ``size`` neighbourhood (edges padded), by an integral image."""
    half = size // 2
    padded = np.pad(values.astype(np.float32), ((half + 1, half), (half + 1, half)), mode="edge")
    integral = padded.cumsum(axis=0, dtype=np.float64).cumsum(axis=1)
    h, w = values.shape
    a = integral[size : size + h, size : size + w]
    b = integral[:h, size : size + w]
    c = integral[size : size + h, :w]
    d = integral[:h, :w]
    return (a - b - c + d) / (size * size)


def invert_dark_bands(image: Any) -> Any:
    """The image with every dark band inverted; the image itself when it has none."""
    pixels = np.asarray(image.convert("L"))
    # Bands are large: found on a quarter-size copy, which costs a sixteenth.
    small = pixels[::_STEP, ::_STEP]
    window = _WINDOW // _STEP
    core_small = _window_mean(small, window) < _DARK_MEAN
    if not core_small.any():
        return image
    near_small = _window_mean(core_small.astype(np.float32), window) > 0
    h, w = pixels.shape

    def full(mask: np.ndarray) -> np.ndarray:
        return np.repeat(np.repeat(mask, _STEP, axis=0), _STEP, axis=1)[:h, :w]

    core, near = full(core_small), full(near_small)
    # The band's rim (within half a window of its edge) is dark too; the page around it is not.
    flip = core | (near & (pixels < _DARK_PIXEL))
    inverted = np.where(flip, 255 - pixels, pixels).astype(np.uint8)
    from PIL import Image

    return Image.fromarray(inverted)
