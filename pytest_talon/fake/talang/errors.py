"""Errors of the Talang interpreter: refused at load (compile) time, failed at run time, or a failed import."""

from __future__ import annotations

from pytest_talon.errors import TalonError
from pytest_talon.fake.errors import FakeSetupError

__all__ = ["TalangError", "TalangImportError", "TalangMissing", "TalangRuntimeError"]


class TalangError(FakeSetupError):
    """A Talang rule the fake cannot run: an unknown or unsupported function, a wrong arity or argument type.

    ``function`` names the offending function (``None`` when the problem is not one function), ``where`` is the
    position inside the rule (``condition[2][1]``). The caller adds ``campaign`` and ``rule`` with
    :meth:`add_context`; ``str()`` always shows everything known.
    """

    def __init__(self, message: str, *, function: str | None = None, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.function = function
        self.where = where
        self.campaign: str | None = None
        self.rule: str | None = None
        #: Set when a rule fails at run time: the index of the condition (the argument of a top-level ``and``; 0
        #: for any other condition) or of the effect (in the rule's effects) that failed.
        self.condition_index: int | None = None
        self.effect_index: int | None = None

    def add_context(self, *, campaign: str | int | None = None, rule: str | None = None) -> TalangError:
        """Record the campaign and rule the problem is in (values already set are kept) and return ``self``."""
        if campaign is not None and self.campaign is None:
            self.campaign = str(campaign)
        if rule is not None and self.rule is None:
            self.rule = rule
        return self

    @property
    def details(self) -> str:
        """What failed without campaign and rule: the function, the place in the rule and the cause
        (``function '.' at condition[1]: Profile.Attributes has no 'Tier'``), as a rule failure's ``details``."""
        cause = self.message
        if self.function and cause.startswith(f"{self.function}: "):
            cause = cause[len(self.function) + 2 :]
        head = " ".join(
            part
            for part in (
                f"function {self.function!r}" if self.function else "",
                f"at {self.where}" if self.where else "",
            )
            if part
        )
        return f"{head}: {cause}" if head else cause

    def __str__(self) -> str:
        owner = ", ".join(
            f"{label} {value!r}" for label, value in (("campaign", self.campaign), ("rule", self.rule)) if value
        )
        return ": ".join(part for part in (owner, self.where, self.message) if part)


class TalangRuntimeError(TalangError):
    """Evaluating a rule failed (a type error, a division by zero, an empty list); ``catch`` recovers from it."""


class TalangMissing(TalangRuntimeError):
    """A path read with ``.`` names nothing (a missing attribute, key or variable); ``.|`` recovers from it."""


class TalangImportError(TalonError):
    """``talon-fake import`` could not read the Management API: the message names the URL and the status or cause."""

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code
