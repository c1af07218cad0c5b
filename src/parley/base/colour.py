"""Colour arithmetic for the side colours a story declares: contrast and colour-blind safety.

- :func:`contrast`: the WCAG 2.x contrast ratio of two sRGB colours (1.4.11 asks 3:1 for
  the parts of a chart a reader must tell apart from the background).
- :func:`simulate`: how a colour looks under protanopia, deuteranopia or tritanopia, with
  the matrices of Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for
  Simulation of Color Vision Deficiency", IEEE TVCG 15(6), at severity 1.0, applied to
  linear RGB.
- :func:`delta_e`: the CIEDE2000 colour difference (Sharma, Wu & Dalal 2005) of two sRGB
  colours in CIELAB (D65). Two markers are taken as distinguishable when ΔE00 >= 10.
"""

from __future__ import annotations

import math
import re

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11, non-text contrast
MIN_DELTA_E = 10.0  # CIEDE2000 between every pair of side colours, under each simulation

RGB = tuple[float, float, float]

# Machado et al. (2009), severity 1.0; rows give linear R', G', B' from linear R, G, B.
CVD_MATRICES: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS: tuple[str, ...] = ("normal", *CVD_MATRICES)


def _to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def linear(hex_colour: str) -> RGB:
    if not HEX_RE.match(hex_colour):
        raise ValueError(f"{hex_colour!r} is not a colour written #RRGGBB")
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (_to_linear(r), _to_linear(g), _to_linear(b))


def luminance(hex_colour: str) -> float:
    r, g, b = linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def simulate(hex_colour: str, vision: str) -> str:
    """The colour as seen with ``vision`` ("normal" or a key of :data:`CVD_MATRICES`)."""
    if vision == "normal":
        return hex_colour.lower()
    rgb = linear(hex_colour)
    out = (sum(m * c for m, c in zip(row, rgb, strict=True)) for row in CVD_MATRICES[vision])
    return "#" + "".join(f"{round(_to_srgb(c) * 255):02x}" for c in out)


def lab(hex_colour: str) -> RGB:
    r, g, b = linear(hex_colour)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(a: str, b: str) -> float:
    """CIEDE2000 ΔE between two sRGB colours."""
    return delta_e_lab(lab(a), lab(b))


def delta_e_lab(first: RGB, second: RGB) -> float:
    """CIEDE2000 ΔE between two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_bar7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(c_bar7 / (c_bar7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hbp = (h1p + h2p + 360) / 2
    else:
        hbp = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbp - 30))
        + 0.24 * math.cos(math.radians(2 * hbp))
        + 0.32 * math.cos(math.radians(3 * hbp + 6))
        - 0.20 * math.cos(math.radians(4 * hbp - 63))
    )
    d_theta = 30 * math.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbp**7 / (cbp**7 + 25**7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh)
    )


def closest_pairs(colours: dict[str, str]) -> dict[str, tuple[str, str, float]]:
    """Per vision, the least distinguishable pair of ``colours`` (name -> #RRGGBB) and ΔE00."""
    names = list(colours)
    out: dict[str, tuple[str, str, float]] = {}
    for vision in VISIONS:
        seen = {n: simulate(colours[n], vision) for n in names}
        best = ("", "", math.inf)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                d = delta_e(seen[a], seen[b])
                if d < best[2]:
                    best = (a, b, d)
        out[vision] = best
    return out
