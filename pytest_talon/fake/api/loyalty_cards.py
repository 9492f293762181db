"""Handlers of the loyalty card operations: balances, transactions, points, generating, linking, unlinking."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.api.loyalty import list_points, list_transactions
from pytest_talon.fake.api.loyalty_views import balance_model, card_entries, card_model, program_of
from pytest_talon.fake.api.paging import path_int, when_param
from pytest_talon.fake.engine.codes import new_code
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.points import Balance, balances_by_subledger
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram

__all__ = [
    "create_card",
    "generate_loyalty_card",
    "get_card_balances",
    "get_card_points",
    "get_card_transactions",
    "link_card",
    "unlink_card",
]


def create_card(
    app: Application, program: LoyaltyProgram, identifier: str | None, profiles: list[str], status: str = "active"
) -> CardRecord:
    """Store a new card of a card-based program; 400 for a duplicate identifier or too many profiles."""
    if program.users_per_card_limit and len(profiles) > program.users_per_card_limit:
        raise BadRequest(
            f"{len(profiles)} profiles exceed the program's card user limit of {program.users_per_card_limit}",
            pointer="/customerProfileIds",
        )
    if identifier is not None and identifier in app.loyalty_cards:
        raise BadRequest(f"a loyalty card {identifier!r} already exists", pointer="/cardIdentifier")
    value = identifier or new_code(app, program.card_code_prefix, app.loyalty_cards)
    now = app.now()
    card = CardRecord(
        id=app.next_id("loyalty_card"), identifier=value, program_id=program.id, created=now, status=status
    )
    for profile_id in dict.fromkeys(profiles):
        app.profile_or_create(profile_id)
        card.profiles[profile_id] = now
    app.loyalty_cards[value] = card
    return card


def _card(app: Application, call: Call) -> tuple[LoyaltyProgram, CardRecord]:
    program = program_of(app, path_int(call, "loyaltyProgramId", "loyalty program"), card_based=True)
    identifier = call.path["loyaltyCardId"]
    card = app.loyalty_cards.get(identifier)
    if card is None or card.program_id != program.id:
        raise NotFound(f"loyalty card {identifier!r} not found in program {program.id}")
    return program, card


@route(
    "getLoyaltyCardBalances",
    notes=(
        "`balance` is the main ledger; `subledgerBalances` has the requested subledgers, or the declared ones"
        " and those with entries."
    ),
)
def get_card_balances(app: Application, call: Call) -> Reply:
    """The card's balance (main ledger), its subledger balances and linked profiles, now or as of ``endDate``."""
    program, card = _card(app, call)
    at = when_param(call, "endDate") or app.now()
    replays = balances_by_subledger(card_entries(app, program.id, card.identifier), at)
    main = replays.pop("", None)
    wanted = call.query.get("subledgerId")
    names = list(wanted) if wanted else list(dict.fromkeys([*program.sub_ledgers, *replays]))
    subs = {n: balance_model(replays[n].balance if n in replays else Balance()) for n in names if n}
    profiles = [models.LoyaltyCardProfileRegistration(integration_id=p, timestamp=t) for p, t in card.profiles.items()]
    body = models.LoyaltyCardBalances(
        balance=balance_model(main.balance if main else Balance()), subledger_balances=subs, profiles=profiles
    )
    return Reply(200, body)


@route(
    "getLoyaltyCardTransactions",
    notes="As the profile variant; points of a card program go to the session's `loyaltyCards[0]`.",
)
def get_card_transactions(app: Application, call: Call) -> Reply:
    """The card's transaction log, newest first."""
    program, card = _card(app, call)
    return list_transactions(app, call, card_entries(app, program.id, card.identifier), card=True)


@route(
    "getLoyaltyCardPoints",
    notes="As the profile variant.",
)
def get_card_points(app: Application, call: Call) -> Reply:
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
def generate_loyalty_card(app: Application, call: Call) -> Reply:
    """Create a card (identifier given or generated from the program's prefix), optionally linked to profiles."""
    program_id = int(call.path["loyaltyProgramId"])
    if program_id not in app.loyalty_programs:
        raise BadRequest(f"loyalty program {program_id} does not exist", parameter="loyaltyProgramId")
    program = program_of(app, program_id, card_based=True)
    body: models.GenerateLoyaltyCard = call.body
    card = create_card(app, program, body.card_identifier, list(body.customer_profile_ids or []), body.status)
    return Reply(200, card_model(app, card))


@route(
    "linkLoyaltyCardToProfile",
    notes=(
        "Idempotent; beyond `usersPerCardLimit` answers 400 pointing at `/integrationId` (INF); a missing "
        "profile is created."
    ),
)
def link_card(app: Application, call: Call) -> Reply:
    """Link a profile to the card (idempotent); 400 when the card already has its limit of profiles."""
    program, card = _card(app, call)
    profile_id = call.body.integration_id
    if profile_id not in card.profiles:
        limit = program.users_per_card_limit
        if limit and len(card.profiles) >= limit:
            raise BadRequest(
                f"card {card.identifier!r} already has its limit of {limit} profile(s)", pointer="/integrationId"
            )
        app.profile_or_create(profile_id)
        card.profiles[profile_id] = app.now()
        card.modified = app.now()
    return Reply(200, card_model(app, card))


@route(
    "unlinkLoyaltyCardFromProfile",
    notes="A profile that is not linked answers 400 (INF).",
)
def unlink_card(app: Application, call: Call) -> Reply:
    """Unlink a profile from the card; 400 when it is not linked."""
    _, card = _card(app, call)
    profile_id = call.body.integration_id
    if profile_id not in card.profiles:
        raise BadRequest(f"profile {profile_id!r} is not linked to card {card.identifier!r}", pointer="/integrationId")
    del card.profiles[profile_id]
    card.modified = app.now()
    return Reply(200, card_model(app, card))
