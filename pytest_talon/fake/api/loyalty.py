"""Handlers of the profile loyalty operations (balances, transactions, points, deleting, activating).

The card variants live in :mod:`.loyalty_cards` and share :func:`list_transactions` and :func:`list_points`.
"""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.paging import check_enum, page, path_int, when_param
from pytest_talon.fake.backend import loyalty
from pytest_talon.fake.backend.loyalty_views import (
    balance_with_tier,
    points_entry,
    profile_entries,
    program_of,
    transaction_entry,
)
from pytest_talon.fake.engine.context import number
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.programs import LoyaltyProgram

__all__ = [
    "activate_loyalty_points",
    "delete_loyalty_transactions",
    "get_loyalty_balances",
    "get_profile_points",
    "get_profile_transactions",
    "list_points",
    "list_transactions",
]


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _filter(call: OperationCall) -> loyalty.EntryFilter:
    q = call.query
    return loyalty.EntryFilter(
        sub_ledgers=_as_list(q.get("subledgerId")),
        sessions=_as_list(q["customerSessionIDs"]),
        transaction_uuids=_as_list(q["transactionUUIDs"]),
    )


def list_transactions(app: Application, call: OperationCall, entries: list[LedgerEntry], *, card: bool) -> Reply:
    """Filter, sort (newest first) and page transaction log entries; answers the page envelope."""
    q = call.query
    if q.get("awaitsActivation") is False:
        raise BadRequest("parameter 'awaitsActivation' only accepts true", parameter="awaitsActivation")
    if q.get("loyaltyTransactionType") is not None:
        check_enum(q["loyaltyTransactionType"], ("manual", "session", "import"), "loyaltyTransactionType")
    start, end = when_param(call, "startDate"), when_param(call, "endDate")
    chosen = loyalty.transactions(
        app,
        entries,
        _filter(call),
        kind=q.get("loyaltyTransactionType"),
        start=start,
        end=end,
        awaiting=bool(q.get("awaitsActivation")),
    )
    data, more = page(chosen, call)
    items = [transaction_entry(e, card) for e in data]
    if card:
        return Reply(200, models.CardLedgerTransactionList(data=items, has_more=more))
    return Reply(200, models.LedgerTransactionList(data=items, has_more=more))


def list_points(app: Application, call: OperationCall, entries: list[LedgerEntry], *, card: bool) -> Reply:
    """The unused point additions of one status (``active`` by default), filtered, sorted and paged."""
    q = call.query
    status = q.get("status") or "active"
    check_enum(status, ("active", "pending", "expired"), "status")
    sort = q.get("sort")
    if sort is not None:
        check_enum(sort, ("startDate", "expiryDate", "-startDate", "-expiryDate"), "sort")
    chosen = loyalty.unused_points(app, entries, _filter(call), status=status, sort=sort)
    data, more = page(chosen, call)
    items = [points_entry(b, card) for b in data]
    if card:
        return Reply(200, models.CardLedgerPointsList(data=items, has_more=more))
    return Reply(200, models.LedgerPointsList(data=items, has_more=more))


def _profile(app: Application, call: OperationCall) -> tuple[LoyaltyProgram, str]:
    program = program_of(app, path_int(call, "loyaltyProgramId", "loyalty program"), card_based=False)
    profile_id = call.path["integrationId"]
    if profile_id not in app.profiles and not profile_entries(app, program.id, profile_id):
        raise NotFound(f"customer profile {profile_id!r} not found")
    return program, profile_id


@route(
    "getLoyaltyBalances",
    notes=(
        "A program with ledger entries but not declared acts as a default profile program; tiers use the main"
        " ledger's active points and `projectedTier` counts active + pending points (INF); an unknown profile"
        " answers 404."
    ),
)
def get_loyalty_balances(app: Application, call: OperationCall) -> Reply:
    """Balances of a profile in a profile program (now, or as of ``endDate``), optionally with tiers."""
    program, profile_id = _profile(app, call)
    at = when_param(call, "endDate") or app.now()
    tiers, projected = bool(call.query["includeTiers"]), bool(call.query["includeProjectedTier"])
    wanted = call.query.get("subledgerId")
    main, by_name = loyalty.balances_at(
        program, profile_entries(app, program.id, profile_id), at, [wanted] if wanted is not None else None
    )
    subs = {name: balance_with_tier(program, found, tiers, projected) for name, found in by_name.items()}
    balance = balance_with_tier(program, main, tiers, projected)
    return Reply(200, models.LoyaltyBalancesWithTiers(balance=balance, subledger_balances=subs))


@route(
    "getLoyaltyProgramProfileTransactions",
    notes=(
        "Newest first; entries of a session are `session`, seeded ones `import`, others `manual` (INF); "
        "`startDate`/`endDate` bound the creation time inclusively."
    ),
)
def get_profile_transactions(app: Application, call: OperationCall) -> Reply:
    """The profile's transaction log in a program, newest first."""
    program, profile_id = _profile(app, call)
    return list_transactions(app, call, profile_entries(app, program.id, profile_id), card=False)


@route(
    "getLoyaltyProgramProfilePoints",
    notes=(
        "Unused parts of additions; spending takes the earliest-expiring active points first (INF); default "
        "order is oldest first."
    ),
)
def get_profile_points(app: Application, call: OperationCall) -> Reply:
    """The profile's unused point additions of one status."""
    program, profile_id = _profile(app, call)
    return list_points(app, call, profile_entries(app, program.id, profile_id), card=False)


@route(
    "deleteLoyaltyTransactionsFromLedgers",
    notes="Profile programs only; the deleted entries leave every balance and listing.",
)
def delete_loyalty_transactions(app: Application, call: OperationCall) -> Reply:
    """Delete the profile's transactions from every ledger of the program, or from the selected subledgers."""
    program, profile_id = _profile(app, call)
    body: models.DeleteLoyaltyTransactionsRequest = call.body
    if body.scope == "SelectedSubledgers" and not body.subledger_ids:
        raise BadRequest(
            'scope SelectedSubledgers needs subledgerIds (use "" for the main ledger)', pointer="/subledgerIds"
        )
    chosen = body.subledger_ids if body.scope == "SelectedSubledgers" else None
    loyalty.delete_transactions(app, program.id, profile_id, chosen)
    return Reply(204)


@route(
    "activateLoyaltyPoints",
    notes=(
        "Activates pending additions (`on_action` or a future start date) of the program; unknown transaction"
        " UUIDs are ignored (INF)."
    ),
)
def activate_loyalty_points(app: Application, call: OperationCall) -> Reply:
    """Activate pending points earned in one session or listed by transaction UUID (not both)."""
    program = program_of(app, path_int(call, "loyaltyProgramId", "loyalty program"))
    body: models.ActivateLoyaltyPoints = call.body
    if (body.session_id is None) == (body.transaction_uui_ds is None):
        raise BadRequest("give exactly one of sessionId or transactionUUIDs", pointer="/sessionId")
    uuids = {str(u) for u in body.transaction_uui_ds or []}
    entries = loyalty.activate_points(app, program.id, body.session_id, uuids)
    activated = [_ledger_entry(app, entry) for entry in entries]
    return Reply(200, models.ActivateLoyaltyPointsResponse(ledger_entries=activated))


def _ledger_entry(app: Application, entry: LedgerEntry) -> models.LoyaltyLedgerEntry:
    card = app.loyalty_cards.get(entry.card_identifier or "")
    return models.LoyaltyLedgerEntry(
        created=entry.created,
        program_id=entry.program_id,
        type=entry.type,
        amount=number(abs(entry.amount)),
        name=entry.name,
        sub_ledger_id=entry.sub_ledger_id,
        customer_profile_id=entry.profile_id or None,
        customer_session_id=entry.session_id,
        card_id=card.id if card is not None else None,
        start_date=entry.start_date,
        expiry_date=entry.expiry_date,
        validity_duration=entry.validity_duration,
    )
