"""Handlers of the loyalty card operations: balances, transactions, points, generating, linking, unlinking."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.loyalty import list_points, list_transactions
from pytest_talon.fake.api.paging import path_int, when_param
from pytest_talon.fake.backend import loyalty
from pytest_talon.fake.backend.loyalty_views import (
    balance_model,
    card_entries,
    card_model,
    program_of,
)
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram

__all__ = [
    "generate_loyalty_card",
    "get_card_balances",
    "get_card_points",
    "get_card_transactions",
    "link_card",
    "unlink_card",
]


def _card(app: Application, call: OperationCall) -> tuple[LoyaltyProgram, CardRecord]:
    program = program_of(app, path_int(call, "loyaltyProgramId", "loyalty program"), card_based=True)
    return program, loyalty.card_or_404(app, program, call.path["loyaltyCardId"])


@route(
    "getLoyaltyCardBalances",
    notes=(
        "`balance` is the main ledger; `subledgerBalances` has the requested subledgers, or the declared ones"
        " and those with entries."
    ),
)
def get_card_balances(app: Application, call: OperationCall) -> Reply:
    """The card's balance (main ledger), its subledger balances and linked profiles, now or as of ``endDate``."""
    program, card = _card(app, call)
    at = when_param(call, "endDate") or app.now()
    wanted = call.query.get("subledgerId")
    main, by_name = loyalty.balances_at(
        program, card_entries(app, program.id, card.identifier), at, list(wanted) if wanted else None
    )
    subs = {name: balance_model(found) for name, found in by_name.items()}
    profiles = [models.LoyaltyCardProfileRegistration(integration_id=p, timestamp=t) for p, t in card.profiles.items()]
    body = models.LoyaltyCardBalances(balance=balance_model(main), subledger_balances=subs, profiles=profiles)
    return Reply(200, body)


@route(
    "getLoyaltyCardTransactions",
    notes="As the profile variant; points of a card program go to the session's `loyaltyCards[0]`.",
)
def get_card_transactions(app: Application, call: OperationCall) -> Reply:
    """The card's transaction log, newest first."""
    program, card = _card(app, call)
    return list_transactions(app, call, card_entries(app, program.id, card.identifier), card=True)


@route(
    "getLoyaltyCardPoints",
    notes="As the profile variant.",
)
def get_card_points(app: Application, call: OperationCall) -> Reply:
    """The card's unused point additions of one status."""
    program, card = _card(app, call)
    return list_points(app, call, card_entries(app, program.id, card.identifier), card=True)


@route(
    "generateLoyaltyCard",
    notes=(
        "Generated identifiers are `<prefix><n>` (`CARD-0001`...); a duplicate identifier or an unknown "
        "program answers 400 (INF); listed profiles are created when missing."
    ),
)
def generate_loyalty_card(app: Application, call: OperationCall) -> Reply:
    """Create a card (identifier given or generated from the program's prefix), optionally linked to profiles."""
    program_id = int(call.path["loyaltyProgramId"])
    if program_id not in app.loyalty_programs:
        raise BadRequest(f"loyalty program {program_id} does not exist", parameter="loyaltyProgramId")
    program = program_of(app, program_id, card_based=True)
    body: models.GenerateLoyaltyCard = call.body
    card = loyalty.create_card(app, program, body.card_identifier, list(body.customer_profile_ids or []), body.status)
    return Reply(200, card_model(app, card))


@route(
    "linkLoyaltyCardToProfile",
    notes=(
        "Idempotent; beyond `usersPerCardLimit` answers 400 pointing at `/integrationId` (INF); a missing "
        "profile is created."
    ),
)
def link_card(app: Application, call: OperationCall) -> Reply:
    """Link a profile to the card (idempotent); 400 when the card already has its limit of profiles."""
    program, card = _card(app, call)
    loyalty.link_card(app, program, card, call.body.integration_id)
    return Reply(200, card_model(app, card))


@route(
    "unlinkLoyaltyCardFromProfile",
    notes="A profile that is not linked answers 400 (INF).",
)
def unlink_card(app: Application, call: OperationCall) -> Reply:
    """Unlink a profile from the card; 400 when it is not linked."""
    _, card = _card(app, call)
    loyalty.unlink_card(app, card, call.body.integration_id)
    return Reply(200, card_model(app, card))
