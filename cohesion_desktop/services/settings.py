"""Settings stored in the data file (they travel with it): organisation name, hourly rate, retention, how long the
full change history is kept; and this laptop's own (:class:`LaptopSettings`): the name changes are recorded under,
and the friendly name of this copy's laptop."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlmodel import Session

from cohesion_desktop.db import history, models
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.server import copy_of
from cohesion_desktop.db.store import writing
from cohesion_desktop.errors import ValidationError

DEFAULT_RETENTION_MONTHS = 24
DEFAULT_HISTORY_MONTHS = 24


@dataclass(frozen=True)
class Settings:
    organisation_name: str = ""
    hourly_rate: Decimal | None = None  # £ per volunteer hour, for the estimated social value
    hourly_rate_source: str = ""  # where the rate comes from, shown beside every social value figure
    retention_months: int = DEFAULT_RETENTION_MONTHS  # volunteers inactive longer than this are listed for review
    logo_path: str = ""  # the organisation's logo for reports, a file on this laptop
    history_months: int = DEFAULT_HISTORY_MONTHS  # changes older than this are thinned (services/history.py)


def _read(session: Session, key: str) -> str:
    row = session.get(models.Setting, key)
    return row.value if row else ""


def get_settings(session: Session) -> Settings:
    rate_text = _read(session, "hourly_rate")
    months_text = _read(session, "retention_months")
    history_text = _read(session, "history_months")
    try:
        rate = Decimal(rate_text) if rate_text else None
    except InvalidOperation:
        rate = None
    return Settings(
        organisation_name=_read(session, "organisation_name"),
        hourly_rate=rate,
        hourly_rate_source=_read(session, "hourly_rate_source"),
        retention_months=int(months_text) if months_text.isdigit() else DEFAULT_RETENTION_MONTHS,
        logo_path=_read(session, "logo_path"),
        history_months=int(history_text) if history_text.isdigit() else DEFAULT_HISTORY_MONTHS,
    )


def parse_rate(text: str) -> Decimal | None:
    """'£12.50' or '12,50' → Decimal('12.50'); blank → None. Raises ValidationError otherwise."""
    cleaned = text.strip().replace("£", "").replace(",", ".").strip()
    if not cleaned:
        return None
    try:
        rate = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError.single("hourly_rate", f"'{text}' is not an amount of money (e.g. 12.50).") from None
    if rate < 0 or rate > 1000:
        raise ValidationError.single("hourly_rate", "The hourly rate must be between £0 and £1,000.")
    return rate.quantize(Decimal("0.01"))


def check_settings(settings: Settings) -> None:
    """Raise the ValidationError that saving ``settings`` would raise, without saving anything."""
    if not 1 <= settings.retention_months <= 240:
        raise ValidationError.single("retention_months", "Choose between 1 and 240 months.")
    if not 1 <= settings.history_months <= 240:
        raise ValidationError.single("history_months", "Choose between 1 and 240 months.")
    if settings.hourly_rate is not None and settings.hourly_rate > 0 and not settings.hourly_rate_source.strip():
        raise ValidationError.single(
            "hourly_rate_source",
            "Say where the hourly rate comes from, so a funder can check it (e.g. the ONS median hourly wage, 2025).",
        )


def save_settings(session: Session, *, settings: Settings) -> Settings:
    check_settings(settings)
    values = {
        "organisation_name": " ".join(settings.organisation_name.split()),
        "hourly_rate": "" if settings.hourly_rate is None else str(settings.hourly_rate),
        "hourly_rate_source": settings.hourly_rate_source.strip(),
        "retention_months": str(settings.retention_months),
        "logo_path": settings.logo_path.strip(),
        "history_months": str(settings.history_months),
    }
    with writing(session):
        for key, value in values.items():
            row = session.get(models.Setting, key)
            if row is None:
                session.add(models.Setting(key=key, value=value))
            elif row.value != value:
                row.value, row.updated_at = value, utcnow()
    return get_settings(session)


@dataclass(frozen=True)
class LaptopSettings:
    """What belongs to this laptop: who makes the changes, and the friendly name of this copy's laptop."""

    your_name: str
    laptop_name: str


def get_laptop_settings(session: Session) -> LaptopSettings:
    path = copy_of(session)
    laptop = history.this_laptop(session, path) if path is not None else None
    return LaptopSettings(
        your_name=history.your_name(), laptop_name=laptop.name if laptop is not None else socket.gethostname()
    )


def save_laptop_settings(session: Session, *, laptop: LaptopSettings) -> LaptopSettings:
    """Keep "your name" on this laptop (blank: the OS user name) and name this copy's laptop in the data file."""
    name = " ".join(laptop.laptop_name.split())
    if not name:
        raise ValidationError.single("laptop_name", "Give this laptop a name people will know it by.")
    history.save_your_name(laptop.your_name)
    path = copy_of(session)
    if path is not None:
        with writing(session):
            row = session.get(models.Laptop, history.laptop_of_this_copy(session, path))
            if row is not None and row.name != name:
                row.name = name
    return get_laptop_settings(session)
