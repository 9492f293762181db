"""The references between the records of a state snapshot, checked before an import replaces anything.

:mod:`.snapshot_schema` checks each field against its type; this module checks what one record says of another:
a record stored under a key names itself by the same key, and a session's profile, a coupon's or referral's
campaign, a ledger entry's or card's program, a session's returns are all in the snapshot. The fake keeps these
true in every state it makes; a snapshot edited by hand may not, and the API would then answer 500 on a read.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from typing import Any

from pytest_talon.fake.state.application import Application

__all__ = ["DanglingReference", "check_references"]


class DanglingReference(ValueError):
    """A record of a snapshot names a record that is not in it (or names itself by another key); ``where`` is the
    JSON pointer of the field."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


def check_references(app: Application, where: str = "/application") -> None:
    """Raise :class:`DanglingReference` for the first field of ``app`` naming a record ``app`` does not hold."""
    for problem in _problems(app, where):
        raise problem


def _problems(app: Application, at: str) -> Iterator[DanglingReference]:
    yield from _keys(app.profiles, f"{at}/profiles", "integration_id")
    yield from _keys(app.sessions, f"{at}/sessions", "integration_id")
    yield from _keys(app.coupons, f"{at}/coupons", "value")
    yield from _keys(app.referrals, f"{at}/referrals", "code")
    yield from _keys(app.loyalty_cards, f"{at}/loyalty_cards", "identifier")
    yield from _keys(app.loyalty_programs, f"{at}/loyalty_programs", "id")
    yield from _keys(app.campaigns, f"{at}/campaigns", "id")
    for key, session in app.sessions.items():
        where = f"{at}/sessions/{key}"
        if session.profile_id:
            yield from _named(session.profile_id, app.profiles, f"{where}/profile_id", "profile")
        for i, return_id in enumerate(session.return_ids):
            yield from _named(return_id, app.returns, f"{where}/return_ids/{i}", "return")
    for kind, records in (("coupons", app.coupons), ("referrals", app.referrals)):
        for key, record in records.items():
            yield from _named(record.campaign_id, app.campaigns, f"{at}/{kind}/{key}/campaign_id", "campaign")
    for key, card in app.loyalty_cards.items():
        where = f"{at}/loyalty_cards/{key}/program_id"
        yield from _named(card.program_id, app.loyalty_programs, where, "loyalty program")
    for i, entry in enumerate(app.loyalty.entries()):
        where = f"{at}/loyalty/_entries/{i}/program_id"
        yield from _named(entry.program_id, app.loyalty_programs, where, "loyalty program")
    for return_id, returned in app.returns.items():
        pointer = f"{at}/returns/{return_id}/session_integration_id"
        yield from _named(returned.session_integration_id, app.sessions, pointer, "session")


def _keys(records: Mapping[Any, Any], where: str, field: str) -> Iterable[DanglingReference]:
    for key, record in records.items():
        named = getattr(record, field, key)
        if named != key:
            yield DanglingReference(f"{where}/{key}/{field}", f"the record stored under {key!r} names itself {named!r}")


def _named(value: Any, known: Container[Any], where: str, kind: str) -> Iterable[DanglingReference]:
    if value not in known:
        yield DanglingReference(where, f"names {kind} {value!r}, which is not in the snapshot")
