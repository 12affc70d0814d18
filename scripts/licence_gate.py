"""The licence gate: every package Hemgenix Prep ships must have a licence licensing/policy.toml allows.

    python scripts/licence_gate.py                      the runtime dependencies installed here (from the lock),
                                                        and the build tools the workstation build carries
    python scripts/licence_gate.py --listing FILE.json  a recorded listing instead (pip-licenses --format=json)

The listing comes from pip-licenses (``--from=mixed``: the SPDX expression or classifiers a package declares);
which packages are the runtime ones is read from the installed metadata (hemgenix_desktop.third_party).
Prints one line per package and exits 0 when all pass; otherwise a sentence for each that fails, naming the
package and its licence, and exit 1. Exit 2 for a listing or policy that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "licensing" / "policy.toml"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Policy:
    allowed: frozenset[str]
    lgpl: frozenset[str]
    lgpl_packages: frozenset[str]
    aliases: dict[str, str]
    exceptions: dict[str, str]
    bundle: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = POLICY) -> Policy:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            allowed=frozenset(data["allowed"]),
            lgpl=frozenset(data["lgpl"]["licences"]),
            lgpl_packages=frozenset(canonical(p) for p in data["lgpl"]["packages"]),
            aliases={key.lower(): value for key, value in data.get("aliases", {}).items()},
            exceptions={canonical(k): " ".join(v.split()) for k, v in data.get("exceptions", {}).items()},
            bundle=tuple(canonical(p) for p in data.get("bundle", {}).get("packages", [])),
        )

    def spdx(self, term: str) -> str | None:
        """A licence term as an SPDX identifier, or None when it cannot be read."""
        term = term.strip()
        if term.startswith("(") and term.endswith(")"):
            term = term[1:-1].strip()
        known = {*self.allowed, *self.lgpl}
        if term in known or re.fullmatch(r"(A|L)?GPL-[0-9.]+-(only|or-later)", term):
            return term
        return self.aliases.get(term.lower())


def options(licence: str) -> list[list[str]]:
    """The licences a package offers (OR, or classifiers joined by "; "), each a list of parts (AND). A group in
    parentheses is multiplied out: "MPL-2.0 AND (Apache-2.0 OR MIT)" offers MPL-2.0 AND Apache-2.0, or MPL-2.0 AND
    MIT."""
    group = re.search(r"\(([^()]*)\)", licence)
    if group is not None and re.search(r"\s+OR\s+", group.group(1)):
        before, after = licence[: group.start()], licence[group.end() :]
        return [
            option for inner in re.split(r"\s+OR\s+", group.group(1)) for option in options(f"{before}{inner}{after}")
        ]
    return [
        [part for part in re.split(r"\s+AND\s+", option) if part.strip()]
        for option in re.split(r"\s+OR\s+|;\s*", licence)
        if option.strip()
    ]


def judge(name: str, version: str, licence: str, policy: Policy) -> tuple[bool, str]:
    """(passes, what to print) for one package."""
    key = canonical(name)
    unreadable: list[str] = []
    readable: list[str] = []
    for option in options(licence):
        ids = [policy.spdx(part) for part in option]
        if None in ids:
            unreadable += [part.strip() for part, spdx in zip(option, ids, strict=True) if spdx is None]
            continue
        names = [i for i in ids if i is not None]
        readable.append(" AND ".join(names))
        if all(i in policy.allowed for i in names):
            return True, f"ok    {name} {version}: {licence} (used under {' AND '.join(names)})"
        if all(i in policy.allowed or i in policy.lgpl for i in names) and key in policy.lgpl_packages:
            return True, f"ok    {name} {version}: {licence} (used under {' AND '.join(names)}, linked dynamically)"
    if key in policy.exceptions:
        return True, f"ok    {name} {version}: {licence} (an exception of the policy: {policy.exceptions[key]})"
    if not readable:
        said = f"“{licence}”" if licence.strip() else "no licence at all"
        return False, (
            f"{name} {version} declares {said}, which is not a licence the gate can read: read its licence by hand, "
            f"then name it in [aliases] of {POLICY.relative_to(ROOT)}, or add an exception with the reason."
        )
    if any(re.match(r"LGPL", r) for r in readable) and key not in policy.lgpl_packages:
        return False, (
            f"{name} {version} is licensed {licence}: the LGPL is allowed only for a library the program links "
            f"dynamically and names in [lgpl] of {POLICY.relative_to(ROOT)}."
        )
    return False, (
        f"{name} {version} is licensed {licence}, which an Apache-2.0 program cannot ship: remove it, or add an "
        f"exception with its reason to {POLICY.relative_to(ROOT)}."
    )


def installed_listing(names: list[str]) -> list[dict[str, Any]]:
    """pip-licenses' listing of these installed packages."""
    command = [
        sys.executable, "-m", "piplicenses", "--from=mixed", "--format=json", "--packages", *names,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"pip-licenses failed: {result.stderr.strip()}")
    listing: list[dict[str, Any]] = json.loads(result.stdout)
    return listing


def shipped_packages(policy: Policy) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from hemgenix_desktop.third_party import runtime_distributions

    return sorted({str(d.metadata["Name"]) for d in runtime_distributions()} | set(policy.bundle))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="licence_gate.py", description=__doc__.splitlines()[0])
    parser.add_argument("--listing", type=Path, help="a recorded pip-licenses --format=json listing")
    parser.add_argument("--policy", type=Path, default=POLICY, help="the policy file (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the failures and the summary")
    args = parser.parse_args(argv)
    try:
        policy = Policy.load(args.policy)
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        sys.stderr.write(f"The licence policy {args.policy} cannot be read ({exc}); mend it and run this again.\n")
        return 2
    if args.listing is not None:
        try:
            listing = json.loads(args.listing.read_text(encoding="utf-8"))
            rows = [(str(r["Name"]), str(r["Version"]), str(r["License"])) for r in listing]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sys.stderr.write(f"The listing {args.listing} cannot be read ({exc}); give pip-licenses' JSON.\n")
            return 2
    else:
        names = shipped_packages(policy)
        listing = installed_listing(names)
        rows = [(str(r["Name"]), str(r["Version"]), str(r["License"])) for r in listing]
        missing = {canonical(n) for n in names} - {canonical(r[0]) for r in rows}
        rows += [(name, "(not installed)", "") for name in sorted(missing)]
    failures = []
    for name, version, licence in sorted(rows, key=lambda r: canonical(r[0])):
        passed, line = judge(name, version, licence, policy)
        if passed and not args.quiet:
            print(line)
        elif not passed:
            failures.append(line)
    if failures:
        for line in failures:
            sys.stderr.write(f"FAIL  {line}\n")
        sys.stderr.write(f"The licence gate failed: {len(failures)} of {len(rows)} packages.\n")
        return 1
    print(f"licences: ok   all {len(rows)} packages the program ships may be shipped under Apache-2.0")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
