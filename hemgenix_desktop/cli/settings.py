"""``settings show`` and ``settings set KEY VALUE``: the settings a site sets once (see README.md).

``show`` prints the value of every setting the program runs with and where it came from (the command line,
an environment variable, the settings file or the default), then any problem as a sentence on stderr.
``set`` checks the value, signs a pharmacist in (``cli/credentials.py``), then rewrites the settings file atomically
(owner-only) and writes its ``settings_changed`` event, as the Settings dialog does (``services/settings_change.py``);
a value beyond a site floor (a longer idle lock, more failed sign-ins) needs a second pharmacist (``--approver``). A
bad key or value, a refused sign-in or a missing approval is refused with a sentence and exit code 2, and the file
is left as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from hemgenix_desktop.cli import add_db_option
from hemgenix_desktop.cli.credentials import add_signin_options
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.settings import (
    FIELDS,
    KEYS,
    README_SECTION,
    SiteSettings,
    load_settings,
    resolve_settings,
    setting_field,
    settings_path,
    shown_value,
    validate_setting,
)

EXIT_OK = 0


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "settings", help="show or change the settings a site sets once (site name, workstation, label size, …)"
    )
    commands = group.add_subparsers(dest="settings_command", metavar="ACTION", required=True)

    show = commands.add_parser("show", help="every setting in use and where it came from")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=run_show)

    change = commands.add_parser(
        "set",
        help="change one setting in the settings file (an empty VALUE means the default)",
        description=f"Settings: {', '.join(KEYS)}. See README.md, “{README_SECTION}”.",
    )
    change.add_argument("key", metavar="KEY", help="the setting, e.g. site_name or label_size")
    change.add_argument("value", metavar="VALUE", help='the new value; "" for the default')
    add_signin_options(change, approval=True)
    add_db_option(change)
    change.set_defaults(func=run_set)


def run_show(args: argparse.Namespace) -> int:
    resolved = resolve_settings(cli={"database_url": getattr(args, "db", None)})
    rows: dict[str, dict[str, Any]] = {}
    for spec in FIELDS:
        value = resolved.settings.value(spec.key)
        rows[spec.key] = {"value": shown_value(spec.key, value), "source": resolved.sources[spec.key]}
        if isinstance(value, int):
            rows[spec.key]["value"] = value
    if resolved.database_problem is not None:
        rows["database_url"]["value"] = None
    if args.json:
        print(
            json.dumps(
                {
                    "file": str(resolved.path),
                    "file_exists": resolved.file_exists,
                    "settings": rows,
                    "warnings": list(resolved.warnings),
                },
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    state = "" if resolved.file_exists else " (there is no such file yet: nothing is set in it)"
    print(f"Settings file: {resolved.path}{state}")
    width = max(len(key) for key in KEYS)
    for spec in FIELDS:
        row = rows[spec.key]
        if row["value"] is None:
            text = "none: no database is opened (see below)"
        elif row["value"] == "":
            text = f"(empty: {spec.empty_means})"
        else:
            text = str(row["value"])
        print(f"{spec.key:<{width}}  {text}  [{row['source']}]")
    for warning in resolved.warnings:
        sys.stderr.write(f"{warning}\n")
    return EXIT_OK


def _save_signed(
    args: argparse.Namespace, path: Path, change: tuple[SiteSettings, SiteSettings, list[str]], warnings: int
) -> None:
    """A pharmacist signs in (and a second approves a value beyond a site floor), then the file and its audit event."""
    from hemgenix_desktop.cli import credentials
    from hemgenix_desktop.cli.users import open_store
    from hemgenix_desktop.services.settings_change import (
        TWO_PERSON_KEYS,
        SettingsNotSavedError,
        beyond_floor,
        floor_sentence,
        save_audited,
    )
    from hemgenix_desktop.storage import StorageError

    key = change[2][0]
    wanted = change[1].value(key)
    try:
        with open_store(args) as store:
            admin = credentials.administration(store)
            operator = credentials.sign_in(admin, args, "changing a setting")
            action = "changing a security setting" if key in TWO_PERSON_KEYS else "relaxing a site floor"
            approval = credentials.approval(admin, operator, args, action)
            if beyond_floor(key, wanted):
                if approval is None:
                    admin.refuse(operator, action, floor_sentence(key, wanted))
                admin.require_approval(operator, approval, action)
            elif approval is not None:
                approval = (
                    None  # nothing to approve: the approver's sign-in is in the trail, the change is one person's
                )
            try:
                save_audited(
                    store,
                    operator,
                    admin.workstation,
                    path,
                    change,
                    file_warnings=warnings,
                    replace=False,
                    approval=approval,
                )
            except SettingsNotSavedError as exc:
                raise InvalidInput(exc.message) from exc
    except StorageError as exc:
        raise InvalidInput(f"{exc.message} The settings file was not changed.") from exc


def run_set(args: argparse.Namespace) -> int:
    key: str = args.key
    spec = setting_field(key)  # an unknown key: InvalidInput with a sentence (exit 2)
    try:
        value = validate_setting(key, args.value)
    except InvalidInput as exc:
        raise InvalidInput(f"{exc.message} The settings file was not changed.") from exc
    path = settings_path()
    current, warnings = load_settings(path)
    for other in FIELDS:  # a value kept as written because it must not quietly become the default (the database)
        if other.key == key:
            continue
        try:
            validate_setting(other.key, current.value(other.key))
        except InvalidInput as exc:
            raise InvalidInput(
                f"The settings file {path} was not changed, because its {other.key} cannot be used. {exc.message} "
                f"Set that first with hemgenix-prep settings set {other.key} VALUE."
            ) from exc
    _save_signed(args, path, (current, current.with_value(key, value), [key]), len(warnings))
    for warning in warnings:
        sys.stderr.write(f"{warning}\n")
    if warnings:
        sys.stderr.write(
            "The file now holds the values in use, so what the sentences above call unusable or unknown was left out.\n"
        )
    if isinstance(value, int):
        shown = str(value)
    else:
        shown = f"“{shown_value(key, value)}”" if value != "" else f"empty ({spec.empty_means})"
    print(f"{key} is now {shown} in {path}.")
    if os.environ.get(spec.env, "").strip():
        print(
            f"The environment variable {spec.env} is set here and comes before the settings file, so the program "
            "uses that value while it is set."
        )
    if spec.needs_restart:
        print("The change applies from the next start of Hemgenix Prep.")
    return EXIT_OK
