"""What moved between two locks: ``python scripts/lock_diff.py OLD NEW``.

Prints one line for each package whose version changed, that is new or that went away, and exits 0; prints
"Nothing moved" and exits 1 when the two name the same versions. Used by scripts/update-lock and check-latest.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def versions(path: Path) -> dict[str, set[str]]:
    """Each package of a lock and its version(s) (one per Python or platform when the lock forks)."""
    found: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PINNED.match(line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            found.setdefault(name, set()).add(match.group(2))
    return found


def moves(old: dict[str, set[str]], new: dict[str, set[str]]) -> list[str]:
    lines = []
    for name in sorted(old.keys() | new.keys()):
        before, after = ", ".join(sorted(old.get(name, ()))), ", ".join(sorted(new.get(name, ())))
        if name not in old:
            lines.append(f"  new      {name} {after}")
        elif name not in new:
            lines.append(f"  removed  {name} {before}")
        elif before != after:
            lines.append(f"  moved    {name} {before} → {after}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("Use: python scripts/lock_diff.py OLD-LOCK NEW-LOCK\n")
        return 2
    old, new = (Path(arg) for arg in argv)
    for path in (old, new):
        if not path.is_file():
            sys.stderr.write(f"{path} does not exist; give two lock files.\n")
            return 2
    lines = moves(versions(old), versions(new))
    if not lines:
        print("Nothing moved: the newest versions are the locked ones.")
        return 1
    print(f"{len(lines)} package(s) differ from {old}:")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
