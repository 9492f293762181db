"""A minimal per-profile loyalty ledger that the ``addLoyaltyPoints``/``deductLoyaltyPoints`` effects write to.

One list of entries per (program, profile) from which balances are derived, behind a small interface:
:meth:`LoyaltyLedger.add`, :meth:`LoyaltyLedger.deduct`, :meth:`LoyaltyLedger.balance` and
:meth:`LoyaltyLedger.entries`. Program rules (pending, expiry, cards, rollback caps) come in through its
:class:`LedgerPolicy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

__all__ = ["LedgerEntry", "LedgerPolicy", "LoyaltyLedger"]


@dataclass
class LedgerEntry:
    """One committed ledger movement: positive ``amount`` adds points, negative subtracts."""

    transaction_uuid: str
    program_id: int
    profile_id: str
    amount: Decimal
    name: str
    created: datetime
    session_id: str | None = None
    sub_ledger_id: str = ""
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    # ---- set by the program's rules (:class:`~pytest_talon.fake.state.application.LedgerRules`) on add ----
    id: int = 0
    card_identifier: str | None = None
    awaits_activation: bool = False
    validity_duration: str | None = None
    #: The transaction UUID of the addition (or deduction) this entry rolls back.
    reverses: str | None = None
    #: ``session``, ``manual`` or ``import`` (empty: derived from ``session_id``).
    transaction_type: str = ""

    @property
    def type(self) -> str:
        """``addition`` or ``subtraction``, as the ledger endpoints name it."""
        return "addition" if self.amount >= 0 else "subtraction"


class LedgerPolicy(Protocol):
    """Program rules applied to the ledger (pending, expiry, cards, rollbacks).

    The Application's policy is :class:`~pytest_talon.fake.state.application.LedgerRules`.
    """

    def on_add(self, entry: LedgerEntry) -> None:
        """Complete a new entry (id, dates, card) from its program's settings before it is stored."""

    def balance(self, entries: list[LedgerEntry], sub_ledger_id: str | None) -> Decimal:
        """The active (spendable) balance of these entries now."""
        ...


@dataclass
class LoyaltyLedger:
    """Every committed loyalty entry of the Application, queried by program and profile."""

    _entries: list[LedgerEntry] = field(default_factory=list)
    policy: LedgerPolicy | None = None

    def add(self, entry: LedgerEntry) -> LedgerEntry:
        """Append an addition (or, with a negative amount, a subtraction) and return it."""
        if self.policy is not None:
            self.policy.on_add(entry)
        self._entries.append(entry)
        return entry

    def remove(self, doomed: list[LedgerEntry]) -> None:
        """Delete these entries (deleteLoyaltyTransactionsFromLedgers, deleteCustomerData)."""
        ids = {id(e) for e in doomed}
        self._entries = [e for e in self._entries if id(e) not in ids]

    def deduct(self, entry: LedgerEntry) -> LedgerEntry:
        """Append a subtraction: ``entry.amount`` is made negative whatever its sign."""
        entry.amount = -abs(entry.amount)
        return self.add(entry)

    def entries(self, program_id: int | None = None, profile_id: str | None = None) -> list[LedgerEntry]:
        """Entries, optionally filtered by program and profile, oldest first."""
        return [
            e
            for e in self._entries
            if (program_id is None or e.program_id == program_id) and (profile_id is None or e.profile_id == profile_id)
        ]

    def balance(self, program_id: int, profile_id: str, sub_ledger_id: str | None = None) -> Decimal:
        """The current balance of one profile in one program (one subledger, or all when ``None``)."""
        if self.policy is not None:
            return self.policy.balance(self.entries(program_id, profile_id), sub_ledger_id)
        return sum(
            (
                e.amount
                for e in self.entries(program_id, profile_id)
                if sub_ledger_id is None or e.sub_ledger_id == sub_ledger_id
            ),
            Decimal(0),
        )

    def programs_of(self, profile_id: str) -> list[int]:
        """Programs the profile has entries in, in first-seen order."""
        return list(dict.fromkeys(e.program_id for e in self._entries if e.profile_id == profile_id))
