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

    def add_context(self, *, campaign: str | int | None = None, rule: str | None = None) -> TalangError:
        """Record the campaign and rule the problem is in (values already set are kept) and return ``self``."""
        if campaign is not None and self.campaign is None:
            self.campaign = str(campaign)
        if rule is not None and self.rule is None:
            self.rule = rule
        return self

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
