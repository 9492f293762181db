"""Checking what a test declares (fields, dates, dataclass fields) before the backend stores it: every check
raises :class:`~pytest_talon.fake.errors.FakeSetupError` naming the setup call and the field."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application

__all__ = ["build_declared", "check_code", "check_dates", "check_fields"]


def build_declared(cls: type[Any], fields: Mapping[str, Any]) -> Any:
    """``cls(**fields)``, with unknown fields and bad arguments raised as :class:`FakeSetupError`."""
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(fields) - known
    if unknown:
        raise FakeSetupError(f"unknown field(s) {sorted(unknown)} for {cls.__name__}; known: {sorted(known)}")
    try:
        return cls(**fields)
    except TypeError as exc:
        raise FakeSetupError(f"{cls.__name__}: {exc}") from None


def check_fields(where: str, fields: dict[str, Any], known: set[str]) -> None:
    """Raise when ``fields`` holds a name outside ``known``."""
    unknown = set(fields) - known
    if unknown:
        raise FakeSetupError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(known)}")


def check_dates(where: str, fields: dict[str, Any]) -> None:
    """Raise when ``start_date`` or ``expiry_date`` is given and not an aware datetime."""
    for name in ("start_date", "expiry_date"):
        when = fields.get(name)
        if when is not None and (not isinstance(when, datetime) or when.tzinfo is None):
            raise FakeSetupError(f"{where}: {name} must be an aware datetime, got {when!r}")


def check_code(
    where: str, noun: str, code: str, campaign_id: int, app: Application, existing: Mapping[str, Any]
) -> None:
    """Raise when a declared coupon or referral ``code`` is shorter than the API's 4 characters, names a campaign that
    does not exist or is already in ``existing``."""
    if len(code) < 4:
        raise FakeSetupError(f"{where}: {noun} {code!r} is shorter than 4 characters (the API's minimum)")
    if campaign_id not in app.campaigns:
        raise FakeSetupError(f"{where}: campaign {campaign_id} does not exist; add it first with add_campaign()")
    if code in existing:
        raise FakeSetupError(f"{where}: {noun.split()[0]} {code!r} already exists")
