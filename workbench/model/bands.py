"""Classification bands (طبقه‌بندی): parsed from the framework file, or set by a supervisor for a round.

The guide gives no bands; the framework file's are marked assumed
(``bands_source``/``bands_assumption``).  A supervisor may set a round's own
(``workbench weights --bands``): names and lower thresholds, highest first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.model.errors import FrameworkError, UserError

#: Colours given to a supervisor's bands, highest first (the framework file's palette).
PALETTE = ("#1b7837", "#7fbc41", "#e6b800", "#f46d43", "#b2182b", "#762a83", "#5a5a5a")


@dataclass(frozen=True)
class Band:
    """A classification band (طبقه): a total percent of at least ``minimum``."""

    key: str
    title: str
    minimum: float
    color: str = "#888888"


def parse_bands(raw: object) -> tuple[Band, ...]:
    """The framework file's ``bands`` list, validated (errors name the band)."""
    if not isinstance(raw, list):
        raise FrameworkError("«bands» باید فهرستی از طبقه‌ها باشد")
    return check_bands(tuple(_band(b) for b in raw))


def check_bands(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    keys = [b.key for b in bands]
    for k in keys:
        if keys.count(k) > 1:
            raise FrameworkError(f"کلید تکراری طبقه {k}", key=k)
    for b in bands:
        if not 0 <= b.minimum <= 100:
            raise FrameworkError(f"حد پایین طبقه {b.key} باید بین ۰ و ۱۰۰ باشد", key=b.key)
    for higher, lower in zip(bands, bands[1:]):
        if lower.minimum >= higher.minimum:
            raise FrameworkError(f"طبقه‌ها باید از بالاترین حد به پایین مرتب باشند ({lower.key})", key=lower.key)
    return bands


def _band(raw: object) -> Band:
    if not isinstance(raw, dict):
        raise FrameworkError(f"طبقهٔ نامعتبر در چارچوب: {raw!r}")
    key = str(raw.get("key", "")).strip()
    if not key:
        raise FrameworkError("طبقه‌ای بدون کلید در چارچوب هست")
    minimum = raw.get("min")
    if isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or not math.isfinite(minimum):
        raise FrameworkError(f"حد پایین طبقه {key} عدد نیست", key=key)
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise FrameworkError(f"«title» برای {key} خالی یا نامعتبر است", key=key)
    return Band(key=key, title=title.strip(), minimum=float(minimum), color=str(raw.get("color", "#888888")))


def parse_band_spec(text: str) -> tuple[Band, ...]:
    """A supervisor's bands from ``«عالی=85، خوب=70، …، بسیار ضعیف=0»`` (any digit set), highest first.

    Keys are A, B, C… in that order; the last band must start at 0 so every total has a band.
    """
    from workbench.model.text import ascii_digits

    parts = [p.strip() for p in ascii_digits(text).replace("،", ",").replace("٫", ".").split(",") if p.strip()]
    bands = []
    for i, part in enumerate(parts):
        name, sep, value = part.rpartition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            minimum = float(value)
        except ValueError:
            raise UserError(f"«{part}» به شکل «نام طبقه=حد پایین درصد» نیست (مثلاً عالی=85)") from None
        key = chr(ord("A") + i)
        bands.append(Band(key, name.strip(), minimum, PALETTE[min(i, len(PALETTE) - 1)]))
    if len(bands) < 2:
        raise UserError("دست‌کم دو طبقه لازم است (مثلاً «قبول=50، مردود=0»)")
    if bands[-1].minimum != 0:
        raise UserError("حد پایین آخرین طبقه باید ۰ باشد تا هر امتیازی طبقه‌ای داشته باشد")
    return check_bands(tuple(bands))


def bands_text(bands: tuple[Band, ...]) -> str:
    """The bands as a supervisor types them (stored with the round)."""
    from workbench.model.text import format_number

    return "، ".join(f"{b.title}={format_number(b.minimum)}" for b in bands)
