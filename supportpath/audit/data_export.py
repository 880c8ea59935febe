""" "Download my data": everything held about a doctor, as JSON files and a readable HTML copy in a ZIP.

Each domain contributes a section through ``register_section``; the registry keeps this module from having
to know every app, and a new app adds its records by registering in its AppConfig.ready().
"""

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile
from supportpath.core.dates import long_date, long_datetime


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    collect: Callable[[DoctorProfile], list[dict] | dict]
    order: int = 500  # where the section comes in the copy: lower first


_SECTIONS: dict[str, Section] = {}


def register_section(
    slug: str, title: str, collect: Callable[[DoctorProfile], list[dict] | dict], *, order: int = 500
) -> None:
    _SECTIONS[slug] = Section(slug, title, collect, order)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.slug))


def _heading(key: str) -> str:
    words = key.replace("_", " ")
    words = words[:1].upper() + words[1:]
    return words.replace("Gmc ", "GMC ").replace(" uk", " UK").replace(" t score", " T-score")


def readable(value):
    """The same data as the JSON files, put into words for the readable copy: dates written out, yes and no,
    and an honest "Nothing recorded" where a field is empty."""

    if isinstance(value, dict):
        return {_heading(key): readable(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [readable(v) for v in value]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return long_datetime(value)
    if isinstance(value, dt.date):
        return long_date(value)
    if value is None or value == "":
        return "Nothing recorded"
    return str(value)


def build_archive(doctor: DoctorProfile) -> bytes:
    collected = [(section, section.collect(doctor)) for section in sections()]
    generated_at = timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section, data in collected:
            archive.writestr(f"{section.slug}.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        html = render_to_string(
            "audit/my_data_copy.jinja",
            {
                "doctor": doctor,
                "collected": [(section, readable(data)) for section, data in collected],
                "generated_at": generated_at,
            },
        )
        archive.writestr("my-data.html", html)
    return buffer.getvalue()
