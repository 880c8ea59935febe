""" "Download my data": everything held about a doctor, as JSON files and a readable HTML copy in a ZIP.

Each domain contributes a section through ``register_section``; the registry keeps this module from having
to know every app, and a new app adds its records by registering in its AppConfig.ready().
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    collect: Callable[[DoctorProfile], list[dict] | dict]


_SECTIONS: dict[str, Section] = {}


def register_section(slug: str, title: str, collect: Callable[[DoctorProfile], list[dict] | dict]) -> None:
    _SECTIONS[slug] = Section(slug, title, collect)


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def build_archive(doctor: DoctorProfile) -> bytes:
    collected = [(section, section.collect(doctor)) for section in sections()]
    generated_at = timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section, data in collected:
            archive.writestr(f"{section.slug}.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        html = render_to_string(
            "audit/my_data_copy.jinja",
            {"doctor": doctor, "collected": collected, "generated_at": generated_at},
        )
        archive.writestr("my-data.html", html)
    return buffer.getvalue()
