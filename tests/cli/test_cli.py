"""The ``hemgenix-prep`` command-line contract."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.carton import GS, format_bracketed, format_element_string
from tests.cli.policy import policy_rows


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dose_72_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dose", "72", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == {
        "weight_entered": "72",
        "weight_kg": 72,
        "dose_ml": 144,
        "dose_gc": 1.44e15,
        "vials": 15,
        "supplied_ml": 150,
        "surplus_ml": 6,
        "withdrawal": {"full_vials": 14, "last_vial_ml": 4},
        "kit": {
            "vials": 15,
            "ndc": "0053-0150-15",
            "ndc11": "00053-0150-15",
            "gtin": "00300530150153",
            "weight_band_kg": [71, 75],
            "total_ml": 150,
        },
        "warnings": [],
        "notices": [],
    }


def test_dose_in_pounds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dose", "160 lb", "--json")
    data = json.loads(out)
    assert (code, data["weight_kg"], data["dose_ml"], data["weight_entered"]) == (0, 72.5747792, 145.15, "160 lb")
    code, out, _ = run(capsys, "dose", "160", "--unit", "lb", "--json")
    assert json.loads(out)["weight_kg"] == 72.5747792


def test_dose_in_pounds_shows_the_conversion_and_the_band_edge(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dose", "110.3 lb")
    assert code == 0
    lines = out.splitlines()
    assert "Weight      110.3 lb = 50.03 kg" in lines
    assert lines[1].startswith("Conversion  1 lb = 0.45359237 kg. The dose and the vials are calculated from the exact")
    assert "Vials       11  (10 full vials × 10 mL, then 0.07 mL from 1 more vial)" in lines
    assert lines[-1].startswith("NOTICE: The weight 110.3 lb = 50.03 kg is within 0.1 kg of 50 kg")
    code, out, _ = run(capsys, "dose", "110.3 lb", "--json")
    assert len(json.loads(out)["notices"]) == 1


@pytest.mark.parametrize(("vials", "low", "high", "total", "ndc"), policy_rows())
def test_dose_reproduces_every_policy_row_at_both_ends(
    capsys: pytest.CaptureFixture[str], vials: int, low: int, high: int, total: int, ndc: str
) -> None:
    for weight in (low, high):
        code, out, _ = run(capsys, "dose", str(weight), "--json")
        data = json.loads(out)
        assert code == 0
        assert (data["vials"], data["supplied_ml"], data["kit"]["ndc11"]) == (vials, total, ndc)
        assert data["kit"]["weight_band_kg"] == [low, high]


def test_dose_table_for_a_pharmacist(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dose", "72")
    assert code == 0
    assert "Dose      144 mL  (1.44×10^15 genome copies)" in out
    assert "Kit       15 vials, NDC 00053-0150-15 (GTIN 00300530150153), for 71–75 kg" in out


def test_below_table_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dose", "40", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["kit"]["vials"] == 10
    assert data["vials"] == 8
    assert len(data["warnings"]) == 1


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["dose", "abc"],
            2,
            "“abc” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb.\n",
        ),
        (["dose", "72,5"], 2, "The weight has a comma. Use a decimal point (a full stop) instead.\n"),
        (
            ["dose", "250"],
            3,
            "CLINICAL STOP: No Hemgenix kit holds this dose: 250 kg needs 50 vials and the largest "
            "kit has 48 (for up to 240 kg). Do not prepare; contact the prescriber.\n",
        ),
        (
            ["carton", "hello"],
            2,
            "“hello” is not a readable GS1 carton code. Scan the DataMatrix on the kit carton again.\n",
        ),
        (
            ["carton", "x", "--on", "2026-02-30"],
            2,
            "“2026-02-30” is not a date. Give --on as YYYY-MM-DD, for example 2026-12-01.\n",
        ),
    ],
)
def test_bad_input_exits_with_a_sentence(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    got, out, err = run(capsys, *argv)
    assert (got, out, err) == (code, "", message)


def test_carton_json_and_expiry(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    raw = "]d2" + format_element_string("00300530150153", date(2027, 5, 31), "LOT123", "SER456")
    code, out, err = run(capsys, "carton", raw, "--on", "2027-05-31", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "gtin": "00300530150153",
        "ndc": "0053-0150-15",
        "ndc11": "00053-0150-15",
        "kit_vials": 15,
        "lot": "LOT123",
        "serial": "SER456",
        "expiry": "2027-05-31",
        "expired": False,
    }
    code, out, err = run(capsys, "carton", raw, "--on", "2027-06-01", "--json")
    assert code == 3
    assert json.loads(out)["expired"] is True
    # Still in date today: it expires before that date, it has not expired (issue 21).
    assert err.startswith(
        "CLINICAL STOP: This kit expires on 2027-05-31 (lot LOT123), before the infusion date 2027-06-01"
    )
    old = "]d2" + format_element_string("00300530150153", date(2020, 5, 31), "LOT123", "SER456")
    code, out, err = run(capsys, "carton", old, "--on", "2020-06-01")
    assert code == 3
    assert err.startswith("CLINICAL STOP: This kit expired on 2020-05-31")


def test_carton_refuses_a_practice_carton(capsys: pytest.CaptureFixture[str]) -> None:
    practice = "(01)00300530150153(17)271129(10)PRACTICE-L15(21)PRACTICE-S0001"
    code, out, err = run(capsys, "carton", practice, "--on", "2026-12-01", "--json")
    assert (code, out) == (3, "")
    assert err.startswith("CLINICAL STOP: This is a practice carton code (lot PRACTICE-L15, serial PRACTICE-S0001)")


def test_carton_with_a_gs_standin_and_bracketed(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    raw = format_element_string("00300530150153", date(2027, 5, 31), "L1", "S1", separator="~")
    code, out, _ = run(capsys, "carton", raw, "--gs", "~", "--on", "2026-12-01", "--json")
    assert code == 0
    assert json.loads(out)["serial"] == "S1"
    code, out, _ = run(
        capsys, "carton", format_bracketed("00300530150153", date(2027, 5, 31), "L1", "S1"), "--on", "2026-12-01"
    )
    assert code == 0
    assert "Serial   S1" in out
    assert GS not in out


@pytest.mark.parametrize(
    ("scan", "sentence"),
    [
        ("(01)00300530150153(17)281231(10)L(21)S(17)240101", "The scan holds the expiry date (AI 17) twice"),
        ("(01)00300530150153(17)281231(10)L(21)S(01)00300530100103", "The scan holds the product code (GTIN, AI 01)"),
        ("0100300530150153172812311" + f"0L{GS}21S{GS}10OTHERLOT", "The scan holds the lot number (AI 10) twice"),
        ("(01)00300530150153(17)281231(10)L O T(21)S T", "The scan contains a space, which a GS1 code never holds."),
    ],
)
def test_carton_refuses_a_repeated_element_or_a_space(
    capsys: pytest.CaptureFixture[str], scan: str, sentence: str
) -> None:
    """Never the first of two values (an expiry in date, a 15-vial kit) with exit 0, nor "L O T" read as "LOT"."""
    code, out, err = run(capsys, "carton", scan, "--on", "2026-12-01", "--json")
    assert (code, out) == (2, "")
    assert err.startswith(sentence)
    assert err.endswith("Scan the DataMatrix on the kit carton again.\n")
    assert err.count("\n") == 1


WEDGE = "01003005301501531728123110LOT1~21SER1"  # a keyboard wedge that sends ~ for GS


@pytest.mark.parametrize("where", ["environment", "settings file"])
def test_carton_uses_the_gs_standin_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    """The sentence for an unknown character says to set the stand-in in Settings: set, the command uses it as the
    wizard does; --gs wins over it (a code with | reads with --gs |, and --gs "" asks for none)."""
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.delenv("HEMGENIX_GS_STANDIN", raising=False)
    (tmp_path / "settings.toml").write_text("" if where == "environment" else 'gs_standin = "~"\n', encoding="utf-8")
    if where == "environment":
        monkeypatch.setenv("HEMGENIX_GS_STANDIN", "~")
    code, out, err = run(capsys, "carton", WEDGE, "--on", "2026-12-01", "--json")
    assert (code, err) == (0, "")
    assert (json.loads(out)["lot"], json.loads(out)["serial"]) == ("LOT1", "SER1")
    code, out, err = run(capsys, "carton", WEDGE.replace("~", "|"), "--gs", "|", "--on", "2026-12-01", "--json")
    assert (code, err, json.loads(out)["serial"]) == (0, "", "SER1")
    code, out, err = run(capsys, "carton", WEDGE, "--gs", "", "--on", "2026-12-01")
    assert (code, out) == (2, "")
    assert err.startswith("The scan contains “~”, which a GS1 code never holds.")


def test_carton_warns_of_a_bad_gs_standin_setting_and_reads_without_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    (tmp_path / "settings.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("HEMGENIX_GS_STANDIN", "A")
    code, out, err = run(capsys, "carton", WEDGE.replace("~", GS), "--on", "2026-12-01", "--json")
    assert (code, json.loads(out)["serial"]) == (0, "SER1")
    assert err.startswith("Warning: The environment variable HEMGENIX_GS_STANDIN sets gs_standin to “A”, which cannot")


def test_kits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kits", "--json")
    kits = json.loads(out)
    assert code == 0
    assert len(kits) == 39
    assert kits[0]["ndc11"] == "00053-0100-10"
    code, out, _ = run(capsys, "kits")
    assert "   48  236-240           480  00053-0480-48  0053-0480-48    00300530480489" in out


@pytest.mark.slow
def test_console_script_and_module_run_without_traceback() -> None:
    for prefix in ([sys.executable, "-m", "hemgenix_desktop"],):
        result = subprocess.run([*prefix, "dose", "not a weight"], capture_output=True, text=True, check=False)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        result = subprocess.run([*prefix, "--version"], capture_output=True, text=True, check=False)
        assert result.returncode == 0
        assert result.stdout.startswith("hemgenix-prep ")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["dose"])
    assert caught.value.code == 2
    assert "The following arguments are required: WEIGHT" in capsys.readouterr().err


def test_each_command_loads_only_its_own_module() -> None:
    """``_COMMANDS`` (which module registers which command) agrees with what the modules register, so a command
    that loads only its own module parses as it would with all of them."""
    import argparse

    from hemgenix_desktop import cli

    def commands(parser: argparse.ArgumentParser) -> set[str]:
        found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return set(found[0].choices)

    assert commands(cli.build_parser()) == set(cli._COMMANDS)
    for command, module in cli._COMMANDS.items():
        assert commands(cli.build_parser([command])) == {c for c, m in cli._COMMANDS.items() if m == module}
    assert cli._command_in(["--db", "gui", "users", "list"]) == "users"
    assert cli._command_in(["--db=sqlite:///x", "--practice", "gui"]) == "gui"
    assert cli._command_in(["--d", "kits", "dose", "72"]) == "dose"
    assert cli._command_in(["--help"]) is None
    assert cli._command_in(["no-such-command"]) is None
    # no command starts the wizard (the desktop's launcher): only gui's module is loaded to parse it
    gui = {c for c, m in cli._COMMANDS.items() if m == cli._COMMANDS["gui"]}
    for argv in ([], ["--practice"], ["--db", "users"], ["--db=sqlite:///x", "--exit-when-ready"], ["--version"]):
        assert commands(cli.build_parser(argv)) == gui, argv
    for argv in (["--help"], ["-h"], ["--he"], ["--practice", "--help"], ["no-such-command"]):
        assert commands(cli.build_parser(argv)) == set(cli._COMMANDS), argv  # help lists every command
