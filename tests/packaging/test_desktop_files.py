"""Desktop integration: the .desktop launcher and the AppStream file validate, the icon exists in every size,
and the install script puts them where the desktop finds them."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.hemgenixprep.HemgenixPrep"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
SVG_NS = "{http://www.w3.org/2000/svg}"


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:  # scripts/system-deps.sh installs it (desktop-file-utils, appstream)
        pytest.fail(f"{name} is not installed: run scripts/system-deps.sh (it installs it), then test again.")
    return found


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_file_validates() -> None:
    result = run(tool("desktop-file-validate"), str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""  # not even a hint


def test_the_desktop_file_names_the_program_and_its_icon() -> None:
    entry = desktop_entry(DESKTOP)
    assert entry["Name"] == "Hemgenix Prep"
    assert entry["Exec"] == "hemgenix-prep"
    assert entry["Icon"] == APP_ID
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"


def test_the_appstream_file_validates() -> None:
    result = run(tool("appstreamcli"), "validate", "--no-net", "--format", "yaml", str(METAINFO))
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "Passed: yes" in report
    for severity in ("error", "warning"):
        assert f"severity: {severity}" not in report, report


def test_the_appstream_file_matches_the_launcher_and_the_version() -> None:
    from hemgenix_desktop import __version__

    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == "Hemgenix Prep"
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.text == DESKTOP.name
    releases = [release.get("version") for release in root.iter("release")]
    assert releases[0] == __version__  # the newest release comes first and is this version


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", ICON_SIZES)
def test_the_icon_exists_in_every_size(size: int) -> None:
    path = ICONS / f"hemgenix-prep-{size}.png"
    assert path.is_file(), f"{path} is missing"
    assert png_size(path) == (size, size)


def test_the_svg_icon_parses_and_is_square() -> None:
    root = ET.parse(ICONS / "hemgenix-prep.svg").getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 256 256"
    assert root.findtext(f"{SVG_NS}title") == "Hemgenix Prep"


def test_qt_draws_the_svg_icon() -> None:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "hemgenix-prep.svg"))
    assert renderer.isValid()
    assert (renderer.defaultSize().width(), renderer.defaultSize().height()) == (256, 256)


def test_the_install_script_puts_launcher_metainfo_and_icons_in_place(tmp_path: Path) -> None:
    program = tmp_path / "opt" / "hemgenix-prep" / "hemgenix-prep"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    prefix = tmp_path / "prefix"
    result = run("bash", str(LINUX / "install-desktop-files.sh"), str(program), str(prefix))
    assert result.returncode == 0, result.stderr
    share = prefix / "share"
    installed = share / "applications" / f"{APP_ID}.desktop"
    assert result.stdout == f"Hemgenix Prep is in the application menu: {installed} starts {program}.\n"
    assert desktop_entry(installed)["Exec"] == str(program)
    validated = run(tool("desktop-file-validate"), str(installed))
    assert validated.returncode == 0, validated.stdout
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    for size in ICON_SIZES:
        assert png_size(share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


@pytest.mark.parametrize(
    ("program", "sentence"),
    [
        (
            "hemgenix-prep",
            'The program must be given with its full path (it was "hemgenix-prep"), because the menu starts it '
            "from any folder.",
        ),
        (
            "/nowhere/hemgenix-prep",
            "There is no program at /nowhere/hemgenix-prep that can be run. Build it first (packaging/build.sh) or "
            "give the right path.",
        ),
    ],
)
def test_the_install_script_refuses_a_program_it_cannot_start(tmp_path: Path, program: str, sentence: str) -> None:
    result = run("bash", str(LINUX / "install-desktop-files.sh"), program, str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == f"{sentence}\n"
    assert not (tmp_path / "share").exists()


def test_the_install_script_works_from_the_built_folder(tmp_path: Path) -> None:
    """packaging/build.sh copies the script and the desktop files into hemgenix-prep/linux/; the icons are then
    the bundled ones under hemgenix-prep/_internal/."""
    built = tmp_path / "opt" / "hemgenix-prep"
    (built / "linux").mkdir(parents=True)
    for path in (DESKTOP, METAINFO, LINUX / "install-desktop-files.sh"):
        shutil.copy2(path, built / "linux" / path.name)
    shutil.copytree(ICONS, built / "_internal" / "hemgenix_desktop" / "resources" / "icons")
    program = built / "hemgenix-prep"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    result = run("bash", str(built / "linux" / "install-desktop-files.sh"), str(program), str(tmp_path / "prefix"))
    assert result.returncode == 0, result.stderr
    share = tmp_path / "prefix" / "share"
    assert desktop_entry(share / "applications" / f"{APP_ID}.desktop")["Exec"] == str(program)
    for size in ICON_SIZES:
        assert png_size(share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)


def test_the_install_script_says_when_the_icons_are_missing(tmp_path: Path) -> None:
    lonely = tmp_path / "somewhere"
    lonely.mkdir()
    shutil.copy2(LINUX / "install-desktop-files.sh", lonely / "install-desktop-files.sh")
    result = run("bash", str(lonely / "install-desktop-files.sh"), "/bin/true", str(tmp_path / "prefix"))
    assert result.returncode == 1
    assert result.stderr == (
        f"The icons are missing beside {lonely}. Run this script from a checkout or from the built hemgenix-prep "
        "folder.\n"
    )
