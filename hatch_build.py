"""Hatchling build hook: the wheel carries the third-party notices of what it runs on.

``hemgenix_desktop/THIRD-PARTY-NOTICES.txt`` is made at build time from the distributions installed in the build
environment (hemgenix_desktop.third_party): the wheel's own runtime dependencies and those of the postgresql
extra, with every licence text. The project's builds (tests/packaging/test_wheel.py, ``pip wheel
--no-build-isolation`` from the environment of the lock) have them all installed. A build in an isolated
environment has none of them: that wheel goes without the file, says so here, and the program makes the notices
from the installed distributions when its About box asks for them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class NoticesBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, self.root)
        try:
            from hemgenix_desktop import third_party
        finally:
            sys.path.remove(self.root)
        project = self.metadata.core
        requirements = [*project.dependencies, *project.optional_dependencies.get("postgresql", [])]
        try:
            parties = third_party.all_parties(requirements)
        except third_party.NoticesError as exc:
            self.app.display_warning(
                f"The wheel goes without {third_party.NOTICES_FILE}: {exc} (build it from the project's "
                "environment with --no-build-isolation to include it)."
            )
            return
        out = Path(tempfile.mkdtemp(prefix="hemgenix-notices-")) / third_party.NOTICES_FILE
        out.write_text(third_party.notices_text(self.metadata.version, parties), encoding="utf-8")
        build_data["force_include"][str(out)] = f"hemgenix_desktop/{third_party.NOTICES_FILE}"
