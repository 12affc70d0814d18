"""What the program runs on, and the licence texts that go with it: the third-party notices.

Everything is read from the installed distributions (``importlib.metadata``): which distributions the program
needs at run time (its own requirements and those of the ``postgresql`` extra, followed down), the licence each
declares, and the licence files each carries. A distribution that carries none of its own (PySide6 and shiboken6
ship their licence only as a metadata field) gets the standard texts that ``resources/licences/standard-texts.toml``
names for it. The notices are made at build time (the wheel's build hook, the PyInstaller spec) and, where no
made file is at hand, when the About box asks for them. Standard library only: every layer may use it.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hemgenix_desktop.resource_locator import resource_path

OWN_DISTRIBUTION = "hemgenix-desktop"
RUNTIME_EXTRAS = ("postgresql",)
NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"
_LICENCE_FILE = re.compile(r"(?:^|/)(?:licen[cs]e|copying|notice|authors)[^/]*$", re.IGNORECASE)
_CLASSIFIER = "License :: "


class NoticesError(Exception):
    """The notices cannot be made (a distribution is missing, or has no licence text)."""


@dataclass(frozen=True)
class ThirdParty:
    """One distribution as its notice gives it."""

    name: str
    version: str
    licence: str  # the licence expression, field or classifiers the distribution declares
    home: str  # its project page, where its source is
    texts: tuple[tuple[str, str], ...]  # (file name, text) of every licence file, or of the standard texts
    standard_texts: bool = False  # True when the texts are the standard ones, the distribution carrying none


def _requirements(dist: metadata.Distribution, extras: Iterable[str]) -> list[Requirement]:
    wanted = [""] if not extras else ["", *extras]
    found = []
    for line in dist.requires or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(
            marker.evaluate({**default_environment(), "extra": extra})  # type: ignore[dict-item]
            for extra in wanted
        ):
            found.append(requirement)
    return found


def runtime_distributions(
    requirements: Iterable[str] | None = None, extras: Iterable[str] = RUNTIME_EXTRAS
) -> list[metadata.Distribution]:
    """The installed distributions the program needs at run time (not itself), sorted by name: those its
    ``requirements`` name (default: the installed program's own, with ``extras``), followed down."""
    if requirements is None:
        try:
            own = metadata.distribution(OWN_DISTRIBUTION)
        except metadata.PackageNotFoundError as exc:
            raise NoticesError(f"{OWN_DISTRIBUTION} is not installed here, so what it runs on cannot be read.") from exc
        requirements = [str(r) for r in _requirements(own, tuple(extras))]
    root = canonicalize_name(OWN_DISTRIBUTION)
    seen: dict[str, metadata.Distribution] = {}
    followed: set[tuple[str, tuple[str, ...]]] = set()
    todo: list[tuple[str, list[Requirement]]] = [(OWN_DISTRIBUTION, [Requirement(r) for r in requirements])]
    while todo:
        needed_by, needs = todo.pop()
        for requirement in needs:
            name = canonicalize_name(requirement.name)
            if name == root:  # hemgenix-desktop[postgresql] names itself
                continue
            try:
                found = metadata.distribution(requirement.name)
            except metadata.PackageNotFoundError as exc:
                raise NoticesError(f"{requirement.name}, which {needed_by} needs, is not installed here.") from exc
            extras_wanted = tuple(sorted(requirement.extras))
            if (name, extras_wanted) not in followed:
                followed.add((name, extras_wanted))
                seen[name] = found
                todo.append((str(found.metadata["Name"]), _requirements(found, extras_wanted)))
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _field(dist: metadata.Distribution, key: str) -> str:
    """One metadata field ("" when absent)."""
    values = dist.metadata.get_all(key) or []
    return str(values[0]) if values else ""


def declared_licence(dist: metadata.Distribution) -> str:
    """The licence a distribution declares: its SPDX expression, else a one-line License field, else its
    licence classifiers joined with "; " ("" when it declares none)."""
    expression = _field(dist, "License-Expression").strip()
    if expression:
        return expression
    field = _field(dist, "License").strip()
    if field and "\n" not in field and len(field) <= 100 and field.upper() != "UNKNOWN":
        return field
    classifiers = [
        c.split(" :: ")[-1]
        for c in dist.metadata.get_all("Classifier") or []
        if c.startswith(_CLASSIFIER) and "::" in c[10:]
    ]
    return "; ".join(classifiers)


def licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(name, text) of every licence file a distribution carries in its metadata folder."""
    texts = []
    for file in dist.files or []:
        path = str(file)
        in_metadata = ".dist-info/" in path or ".egg-info/" in path
        if in_metadata and _LICENCE_FILE.search(path):
            text = Path(str(dist.locate_file(file))).read_bytes().decode("utf-8", "replace").strip()
            if text:
                texts.append((path.rsplit(".dist-info/", maxsplit=1)[-1], text))
    return texts


def standard_texts_table() -> dict[str, list[str]]:
    """resources/licences/standard-texts.toml: distribution → the standard texts used for it."""
    with resource_path("licences", "standard-texts.toml").open("rb") as handle:
        table = tomllib.load(handle)
    return {canonicalize_name(name): list(entry["texts"]) for name, entry in table.items()}


def describe(
    dists: Iterable[metadata.Distribution], standard: Mapping[str, list[str]] | None = None
) -> list[ThirdParty]:
    """Each distribution with its licence and texts; a distribution with no text at all is an error."""
    standard = standard_texts_table() if standard is None else standard
    parties = []
    for dist in dists:
        name = str(dist.metadata["Name"])
        texts = licence_files(dist)
        from_standard = False
        if not texts and canonicalize_name(name) in standard:
            texts = [
                (f, resource_path("licences", f).read_text(encoding="utf-8").strip())
                for f in standard[canonicalize_name(name)]
            ]
            from_standard = True
        if not texts:
            raise NoticesError(
                f"{name} {dist.version} carries no licence file, and resources/licences/standard-texts.toml names "
                "no standard text for it: add one there, with the licence it is used under."
            )
        home = project_page(dist)
        parties.append(ThirdParty(name, dist.version, declared_licence(dist), home, tuple(texts), from_standard))
    return parties


_SOURCE_LABELS = ("source", "source code", "repository", "code", "github", "homepage", "home", "home-page")


def project_page(dist: metadata.Distribution) -> str:
    """Where a distribution's source is: its Source/Repository/Homepage URL, else its Home-page."""
    labelled: dict[str, str] = {}
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        labelled.setdefault(label.strip().lower(), url.strip())
    for label in _SOURCE_LABELS:
        if labelled.get(label):
            return labelled[label]
    return _field(dist, "Home-page") or next(iter(labelled.values()), "")


def python_notice() -> ThirdParty | None:
    """Python itself (the frozen build carries its interpreter), with the PSF licence of this installation."""
    for candidate in (
        Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "LICENSE.txt",
        Path(sys.base_prefix) / "LICENSE.txt",
    ):
        if candidate.is_file():
            version = ".".join(str(part) for part in sys.version_info[:3])
            text = candidate.read_text(encoding="utf-8", errors="replace").strip()
            return ThirdParty("Python", version, "PSF-2.0", "https://www.python.org/", (("LICENSE.txt", text),))
    return None


def font_notices() -> list[ThirdParty]:
    """The fonts in resources/fonts/ that the PDFs embed, with the licence beside them."""
    fonts = resource_path("fonts")
    return [
        ThirdParty(
            "DejaVu fonts",
            "2.37",
            "Bitstream Vera licence; DejaVu changes in the public domain",
            "https://dejavu-fonts.github.io/",
            (("LICENSE-DejaVu.txt", (fonts / "LICENSE-DejaVu.txt").read_text(encoding="utf-8").strip()),),
        )
    ]


def all_parties(
    requirements: Iterable[str] | None = None, *, also: Iterable[str] = (), with_python: bool = False
) -> list[ThirdParty]:
    """Everything a build of the program carries: its runtime distributions (see :func:`runtime_distributions`),
    the distributions named in ``also`` (PyInstaller, whose bootloader the frozen build carries), the fonts,
    and Python itself when ``with_python`` (the frozen build)."""
    dists = runtime_distributions(requirements)
    have = {canonicalize_name(d.metadata["Name"]) for d in dists} | {canonicalize_name(OWN_DISTRIBUTION)}
    for name in sorted({canonicalize_name(n) for n in also} - have):
        try:
            dists.append(metadata.distribution(name))
        except metadata.PackageNotFoundError as exc:
            raise NoticesError(f"{name} is not installed here.") from exc
    parties = [*describe(dists), *font_notices()]
    python = python_notice() if with_python else None
    if with_python and python is None:
        raise NoticesError(f"Python's own licence (LICENSE.txt) is not found under {sys.base_prefix}.")
    return [*parties, *([python] if python is not None else [])]


def notices_text(program_version: str, parties: Iterable[ThirdParty]) -> str:
    """The third-party notices as one plain-text file."""
    parties = list(parties)
    rule = "=" * 78
    lines = [
        f"Hemgenix Prep {program_version}: third-party notices",
        "",
        "Hemgenix Prep is licensed under the Apache License 2.0 (the file LICENSE; NOTICE beside it).",
        "It runs on the software listed below, each under its own licence, whose full text follows its entry.",
        "Made from the installed distributions when this copy of the program was built; never edited by hand.",
        "",
        *(f"  {p.name} {p.version}: {p.licence or 'see its licence text'}" for p in parties),
    ]
    for party in parties:
        lines += ["", rule, f"{party.name} {party.version}", f"Licence: {party.licence or 'see the text below'}"]
        if party.home:
            lines.append(f"Project and source: {party.home}")
        if party.standard_texts:
            lines.append("The distribution carries no licence file; these are the standard texts of its licence.")
        for file_name, text in party.texts:
            lines += ["", f"--- {file_name} ---", text]
    return "\n".join(lines) + "\n"


def covered(notices: str) -> set[str]:
    """The distributions a notices file has an entry with a licence text for (canonical names)."""
    names: set[str] = set()
    for block in notices.split("=" * 78)[1:]:
        head, _, body = block.strip().partition("\n")
        if "\n--- " in body and body.split("\n--- ", 1)[1].partition("---\n")[2].strip():
            names.add(canonicalize_name(re.sub(r"\s+", "-", head.rsplit(" ", 1)[0].strip())))
    return names


def installed_notices(program_version: str) -> str:
    """The notices of this installation: the made file when the program carries one, else made now."""
    made = _made_file()
    if made is not None:
        return made.read_text(encoding="utf-8")
    return notices_text(program_version, all_parties())


def _made_file() -> Path | None:
    here = Path(__file__).resolve().parent
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / NOTICES_FILE] if bundle else []
    candidates.append(here / NOTICES_FILE)  # the wheel carries it inside the package
    return next((c for c in candidates if c.is_file()), None)
