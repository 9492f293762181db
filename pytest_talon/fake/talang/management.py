"""``talon-fake import``: read an application's campaigns and their active rulesets from the Management API.

The result is a campaigns file (YAML) in which each campaign carries its Talang ``ruleset``
(``{"rules": [{"title", "condition", "effects", "bindings"}], "bindings": [...]}``) instead of ``rules``.
Requests: ``GET /v1/applications/{id}/campaigns`` (every page, ``pageSize``/``skip``) or
``GET .../campaigns/{campaignId}`` per ``--campaign-id``, then ``GET .../campaigns/{id}/rulesets/{activeRulesetId}``,
each with ``Authorization: ManagementKey-v1 KEY``. Nothing is written unless every request succeeded, and a file is
replaced atomically (a temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import httpx
import yaml

from pytest_talon.fake.talang.errors import TalangError, TalangImportError
from pytest_talon.fake.talang.rules import compile_ruleset

__all__ = [
    "EXIT_IMPORT_FAILED",
    "KEY_ENV",
    "add_import_arguments",
    "fetch_campaigns",
    "import_command",
    "run_import",
    "ruleset_problems",
    "write_campaigns_file",
]

#: Exit code of ``talon-fake import`` when the Management API could not be read or the file not written.
EXIT_IMPORT_FAILED = 1
#: Environment variable read when ``--management-key`` is not given.
KEY_ENV = "TALON_MANAGEMENT_KEY"

#: Campaign fields copied into the campaigns file (Management API name -> campaigns-file key).
_CAMPAIGN_FIELDS = ("id", "name", "description", "state", "startTime", "endTime", "tags", "reevaluateOnReturn")
_RULE_FIELDS = ("title", "condition", "effects", "bindings")
_PAGE_SIZE = 1000


class _Api:
    def __init__(self, client: httpx.Client, base: str, application_id: int) -> None:
        self.client = client
        self.prefix = f"{base.rstrip('/')}/v1/applications/{application_id}"

    def get(self, path: str, params: dict[str, int] | None = None) -> Any:
        url = f"{self.prefix}{path}"
        try:
            response = self.client.get(url, params=params)
        except httpx.HTTPError as error:
            raise TalangImportError(f"GET {url}: cannot reach the Management API: {error}", url=url) from None
        if response.status_code >= 400:
            raise TalangImportError(_status_message(url, response), url=url, status_code=response.status_code)
        try:
            return response.json()
        except ValueError:
            raise TalangImportError(
                f"GET {url} -> {response.status_code}: the answer is not JSON: {response.text[:200]!r}",
                url=url,
                status_code=response.status_code,
            ) from None


def _status_message(url: str, response: httpx.Response) -> str:
    try:
        body = response.json()
        detail = (body.get("message") or body.get("errors") or body) if isinstance(body, dict) else body
    except ValueError:
        detail = response.text[:200] or "(empty body)"
    hint = {
        401: "check --management-key (sent as 'Authorization: ManagementKey-v1 KEY') and that it has not expired",
        403: "the key does not give access to this endpoint; allow getCampaigns and getRuleset for it",
        404: "check --url, --application-id and --campaign-id",
    }.get(response.status_code, "")
    return f"GET {url} -> {response.status_code}: {detail}" + (f" ({hint})" if hint else "")


def _pages(api: _Api) -> Iterator[dict[str, Any]]:
    skip = 0
    while True:
        page = api.get("/campaigns", {"pageSize": _PAGE_SIZE, "skip": skip})
        data = page.get("data") if isinstance(page, dict) else None
        if not isinstance(data, list):
            raise TalangImportError(f"GET {api.prefix}/campaigns: the answer has no 'data' list", url=api.prefix)
        yield from data
        skip += len(data)
        if not data or skip >= int(page.get("totalResultSize", 0)):
            return


def _entry(api: _Api, campaign: dict[str, Any]) -> dict[str, Any]:
    entry = {key: campaign[key] for key in _CAMPAIGN_FIELDS if campaign.get(key) is not None}
    if isinstance(campaign.get("attributes"), dict) and campaign["attributes"]:
        entry["attributes"] = campaign["attributes"]
    ruleset_id = campaign.get("activeRulesetId")
    raw = api.get(f"/campaigns/{campaign['id']}/rulesets/{ruleset_id}") if ruleset_id else {}
    rules = [{key: rule[key] for key in _RULE_FIELDS if key in rule} for rule in raw.get("rules") or []]
    entry["ruleset"] = {"rules": rules, "bindings": raw.get("bindings") or []}
    return entry


def fetch_campaigns(
    url: str,
    management_key: str,
    application_id: int,
    *,
    campaign_ids: Sequence[int] = (),
    transport: httpx.BaseTransport | None = None,
    timeout: float = 30.0,
) -> list[dict[str, Any]]:
    """The application's campaigns (all of them, or only ``campaign_ids``) as campaigns-file entries with rulesets.

    A campaign without an active ruleset gets an empty one. Raises :class:`TalangImportError` naming the URL and
    the status (or the network error).
    """
    headers = {"Authorization": f"ManagementKey-v1 {management_key}", "Accept": "application/json"}
    with httpx.Client(headers=headers, transport=transport, timeout=timeout) as client:
        api = _Api(client, url, application_id)
        campaigns = [api.get(f"/campaigns/{cid}") for cid in campaign_ids] if campaign_ids else list(_pages(api))
        return [_entry(api, campaign) for campaign in campaigns]


def ruleset_problems(campaigns: Sequence[dict[str, Any]]) -> list[str]:
    """Why the fake would refuse each imported ruleset (an unknown or unsupported function ...); empty when none."""
    problems = []
    for campaign in campaigns:
        try:
            compile_ruleset(campaign["ruleset"], campaign=campaign.get("name", campaign.get("id")))
        except TalangError as error:
            problems.append(str(error))
    return problems


def write_campaigns_file(campaigns: Sequence[dict[str, Any]], output: str | Path | TextIO, *, source: str = "") -> None:
    """Write ``{"campaigns": [...]}`` as YAML to a path (atomically: never a partial file) or an open text stream."""
    header = f"# Imported by talon-fake import{' from ' + source if source else ''}; load it into the fake.\n"
    text = header + yaml.safe_dump({"campaigns": list(campaigns)}, sort_keys=False, allow_unicode=True, width=120)
    if not isinstance(output, (str, Path)):
        output.write(text)
        return
    path = Path(output)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add_import_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``talon-fake import`` to ``parser`` (a sub-command parser of ``talon-fake``)."""
    parser.add_argument("--url", required=True, help="base URL of the deployment, e.g. https://acme.talon.one")
    parser.add_argument(
        "--management-key",
        default=os.environ.get(KEY_ENV),
        help=f"Management API key (default: ${KEY_ENV}); sent as 'Authorization: ManagementKey-v1 KEY'",
    )
    parser.add_argument("--application-id", type=int, required=True, metavar="N", help="the Application's ID")
    parser.add_argument("--output", metavar="FILE", help="campaigns file to write (default: standard output)")
    parser.add_argument(
        "--campaign-id",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="import only this campaign; repeat for several (default: every campaign)",
    )
    return parser


def import_command(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    """Run ``talon-fake import`` with parsed ``args``; report on ``err``; return the exit code."""
    if not args.management_key:
        print(f"talon-fake import: error: give --management-key or set ${KEY_ENV}", file=err)
        return 2
    try:
        campaigns = fetch_campaigns(args.url, args.management_key, args.application_id, campaign_ids=args.campaign_id)
        write_campaigns_file(campaigns, args.output or out, source=args.url)
    except (TalangImportError, OSError) as error:
        print(f"talon-fake import: error: {error}", file=err)
        return EXIT_IMPORT_FAILED
    for problem in ruleset_problems(campaigns):
        print(f"talon-fake import: warning: the fake will refuse {problem}", file=err)
    where = f" to {args.output}" if args.output else ""
    print(f"talon-fake import: {len(campaigns)} campaign(s) written{where}", file=err)
    return 0


def run_import(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``talon-fake import`` as a function: parse ``argv`` (without the ``import`` word) and return the exit code."""
    parser = add_import_arguments(argparse.ArgumentParser(prog="talon-fake import", description=__doc__))
    return import_command(parser.parse_args(argv), out=out or sys.stdout, err=err or sys.stderr)
