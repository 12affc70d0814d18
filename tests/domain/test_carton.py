from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemgenix_desktop.domain.carton import (
    GS,
    ScanForm,
    check_carton_for_mode,
    check_not_expired,
    format_bracketed,
    format_element_string,
    parse_carton,
    validate_gs_standin,
)
from hemgenix_desktop.domain.errors import (
    CartonExpired,
    DomainError,
    InvalidInput,
    NotHemgenixKit,
    PracticeCarton,
    VialCodeScanned,
)

KIT15 = "00300530150153"
EXPIRY = date(2027, 5, 31)
RAW = format_element_string(KIT15, EXPIRY, "LOT123", "SER456")


@pytest.mark.parametrize(
    ("data", "standin", "form"),
    [
        (RAW, None, ScanForm.RAW),
        ("]d2" + RAW, None, ScanForm.SCANNER_GS1),
        (RAW.replace(GS, "|"), "|", ScanForm.RAW),
        ("]d2" + RAW.replace(GS, "~"), "~", ScanForm.SCANNER_GS1),
        (format_bracketed(KIT15, EXPIRY, "LOT123", "SER456"), None, ScanForm.BRACKETED),
        (RAW + "\r\n", None, ScanForm.RAW),
    ],
)
def test_reads_every_form(data: str, standin: str | None, form: ScanForm) -> None:
    scan = parse_carton(data, gs_standin=standin)
    assert (scan.gtin, scan.ndc10, scan.ndc11, scan.kit_vials) == (KIT15, "0053-0150-15", "00053-0150-15", 15)
    assert (scan.lot, scan.serial, scan.expiry) == ("LOT123", "SER456", EXPIRY)
    assert scan.form is form
    assert scan.raw == data


def test_serial_first_order_also_reads() -> None:
    scan = parse_carton(f"01{KIT15}21SER9{GS}17270531" + "10LOT9")
    assert (scan.serial, scan.lot) == ("SER9", "LOT9")


def test_expiry_on_a_date() -> None:
    scan = parse_carton(RAW)
    assert not scan.is_expired(date(2027, 5, 31))
    assert scan.is_expired(date(2027, 6, 1))
    with pytest.raises(CartonExpired) as caught:
        check_not_expired(scan, date(2027, 6, 1), today=date(2027, 6, 1))
    assert caught.value.message == (
        "This kit expired on 2027-05-31 (lot LOT123) and cannot be used on 2027-06-01. Set it aside and use an "
        "in-date kit."
    )


@pytest.mark.parametrize("today", [date(2027, 5, 30), date(2027, 5, 31), None])
def test_a_kit_still_in_date_today_expires_before_the_infusion_date(today: date | None) -> None:
    # Issue 21: a kit that expires tomorrow is not "expired"; it expires before the infusion date.
    scan = parse_carton(RAW)
    with pytest.raises(CartonExpired) as caught:
        check_not_expired(scan, date(2027, 6, 2), today=today)
    assert caught.value.message == (
        "This kit expires on 2027-05-31 (lot LOT123), before the infusion date 2027-06-02: it cannot be used then. "
        "Set it aside and use a kit in date on the infusion date."
    )
    check_not_expired(scan, date(2027, 5, 31), today=today)  # in date on the infusion date itself


# The practice carton rule: a code whose lot or serial carries the practice prefix is practice mode's own; outside
# practice mode it is a clinical stop, in practice mode it is accepted. (lot, serial, a stop outside practice)
PRACTICE_CARTONS = [
    ("PRACTICE-L15", "PRACTICE-S0001", True),  # practice mode's correct kit (hemgenix_desktop.practice)
    ("PRACTICE-X15", "PRACTICE-S0004", True),
    ("LOT123", "PRACTICE-S0001", True),  # either field marks it
    ("PRACTICE-L15", "SER456", True),
    ("practice-l15", "practice-s0001", True),  # whatever the case a scanner sends
    ("LOT123", "SER456", False),  # a real carton
    ("PRACTICEL15", "SPRACTICE-1", False),  # the prefix, with its hyphen, at the start only
    ("LOT-PRACTICE-1", "SER456", False),
]


@pytest.mark.parametrize(("lot", "serial", "stops"), PRACTICE_CARTONS)
def test_a_practice_carton_stops_outside_practice_mode_only(lot: str, serial: str, stops: bool) -> None:
    scan = parse_carton(format_bracketed(KIT15, EXPIRY, lot, serial))
    check_carton_for_mode(scan, practice=True)  # practice mode accepts its cartons, and real ones
    if not stops:
        check_carton_for_mode(scan, practice=False)
        return
    with pytest.raises(PracticeCarton) as caught:
        check_carton_for_mode(scan, practice=False)
    assert caught.value.message == (
        f"This is a practice carton code (lot {lot}, serial {serial}), made by Hemgenix Prep for training: it is "
        "not a real kit and is never used for a patient. Stop: set the practice sheet aside and scan the DataMatrix "
        "on the real kit carton."
    )


def gtin_for(ndc10_digits: str) -> str:
    body = "003" + ndc10_digits
    total = sum((3 if i % 2 == 0 else 1) * int(c) for i, c in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


AGAIN = "Scan the DataMatrix on the kit carton again."
NEVER = f"a GS1 code never holds. {AGAIN}"
TWICE = "The scan holds {} twice, which a carton code never does: it may be two codes read as one. " + AGAIN


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ("", InvalidInput, f"Nothing was scanned. {AGAIN}"),
        ("hello", InvalidInput, f"“hello” is not a readable GS1 carton code. {AGAIN}"),
        (
            "]d1" + RAW,
            InvalidInput,
            f"This code (]d1) is not a GS1 barcode, so it is not the carton's DataMatrix. {AGAIN}",
        ),
        (
            RAW.replace(KIT15, "00300530150152"),
            InvalidInput,
            f"The product code 00300530150152 has a wrong check digit, so the scan was misread. {AGAIN}",
        ),
        ("17270531" + "10LOT" + GS + "21SER", InvalidInput, f"The scan has no product code (GTIN, AI 01). {AGAIN}"),
        (f"01{KIT15}10LOT{GS}21SER", InvalidInput, f"The scan has no expiry date (AI 17). {AGAIN}"),
        (f"01{KIT15}17270531" + f"21SER{GS}", InvalidInput, f"The scan has no lot number (AI 10). {AGAIN}"),
        (
            f"01{KIT15}17270531" + "10LOT",
            InvalidInput,
            f"The scan has no serial number (AI 21). {AGAIN} If this repeats, check the scanner's group-separator setting.",
        ),
        (f"01{KIT15}17271331" + "10LOT", InvalidInput, f"The expiry date in the scan is not a real date. {AGAIN}"),
        (
            RAW.replace(GS, "|"),
            InvalidInput,
            "The scan contains “|”, which a GS1 code never holds. If the scanner sends it for the group separator, set "
            f"it as the scanner's separator stand-in in Settings. {AGAIN}",
        ),
        (
            format_element_string(gtin_for("0053009901"), EXPIRY, "L", "S"),
            VialCodeScanned,
            "This is the code of a single Hemgenix vial (NDC 0053-0099-01), not of the kit carton. Scan the DataMatrix "
            "on the outer carton.",
        ),
        (
            format_element_string(gtin_for("0069123401"), EXPIRY, "L", "S"),
            NotHemgenixKit,
            "This carton is not a Hemgenix kit: its code has NDC 0069123401. Set it aside and scan the Hemgenix kit "
            "carton.",
        ),
        (
            format_element_string("04012345678901", EXPIRY, "L", "S"),
            NotHemgenixKit,
            "This carton is not a Hemgenix kit: its code has GTIN 04012345678901, which carries no US NDC. Set it aside "
            "and scan the Hemgenix kit carton.",
        ),
        ("x" * 10_000, InvalidInput, f"The scan is far too long to be a carton code. {AGAIN}"),
        # GS1 never repeats an AI in one code, and a scanner never sends one twice: refused, never the first read
        (f"(01){KIT15}(17)281231(10)L(21)S(17)240101", InvalidInput, TWICE.format("the expiry date (AI 17)")),
        (
            f"(01){KIT15}(17)281231(10)L(21)S(01)00300530100103",
            InvalidInput,
            TWICE.format("the product code (GTIN, AI 01)"),
        ),
        (f"01{KIT15}17281231" + f"10L{GS}21S{GS}10OTHERLOT", InvalidInput, TWICE.format("the lot number (AI 10)")),
        (f"(01){KIT15}(17)281231(10)L(21)S(21)S", InvalidInput, TWICE.format("the serial number (AI 21)")),
        (f"(01){KIT15}(17)281231(10)L(21)S(30)5(30)5", InvalidInput, TWICE.format("AI 30")),
        # a blank is never in a GS1 code: the bracketed form does not drop it (nor read "L O T" as "LOT")
        (f"(01){KIT15}(17)281231(10)L O T(21)S T", InvalidInput, f"The scan contains a space, which {NEVER}"),
        (f"(01) {KIT15}(17)281231(10)L(21)S", InvalidInput, f"The scan contains a space, which {NEVER}"),
        (f"01{KIT15}17281231" + f"10L O T{GS}21S", InvalidInput, f"The scan contains a space, which {NEVER}"),
        (
            f"(01){KIT15}(17)281231(10)L\u00a0(21)S",
            InvalidInput,
            "The scan contains “·”, which a GS1 code never holds. If the scanner sends it for the group "
            f"separator, set it as the scanner's separator stand-in in Settings. {AGAIN}",
        ),
    ],
)
def test_distinct_errors(data: str, error: type[DomainError], message: str) -> None:
    with pytest.raises(error) as caught:
        parse_carton(data)
    assert type(caught.value) is error
    assert caught.value.message == message


@pytest.mark.parametrize(("standin", "now"), [(None, "now empty"), ("|", "now “|”, which this scan did not contain")])
@pytest.mark.parametrize(
    ("lot", "serial", "start"),
    [
        ("LOT123", "SER456", "The scan has no serial number (AI 21)."),  # the lot takes the serial in
        ("PRACTICE-L15", "PRACTICE-S0001", "The scan cannot be read."),  # together, longer than a lot can be
    ],
)
def test_a_wedge_that_sends_no_gs_is_told_the_setting_and_what_it_sent(
    standin: str | None, now: str, lot: str, serial: str, start: str
) -> None:
    """The lot runs into the serial: scanning again fails forever, so the sentence names the program's own
    gs_standin setting and shows what the scan read (a carton code: no patient data)."""
    sent = format_element_string(KIT15, EXPIRY, lot, serial, separator="")
    with pytest.raises(InvalidInput) as raised:
        parse_carton("]d2" + sent, gs_standin=standin)
    assert raised.value.message == (
        f"{start} It read “{sent}”: no group separator (GS) after the lot (10…), so the lot runs into the serial "
        "number (21…) and scanning again gives the same. Set the scanner to send one character that GS1 data "
        "never holds (such as | or ~) in place of GS, set the same character as this program's gs_standin "
        f"setting ({now}: Settings…, “Scanner's stand-in for the group separator”, or hemgenix-prep settings set "
        "gs_standin CHARACTER; for the carton command, --gs CHARACTER), then scan again."
    )


@pytest.mark.parametrize("char", ["A", "1", "(", "  ", "ab", " "])
def test_standin_must_be_outside_the_gs1_charset(char: str) -> None:
    with pytest.raises(InvalidInput):
        validate_gs_standin(char)
    assert validate_gs_standin("|") == "|"
    assert validate_gs_standin(None) is None


@settings(max_examples=500)
@given(st.text(max_size=80))
@pytest.mark.slow
def test_carton_parser_raises_only_domain_errors(text: str) -> None:
    try:
        parse_carton(text, gs_standin="|")
    except DomainError:
        pass


@settings(max_examples=300)
@given(st.text(alphabet="0123456789()" + GS + "]d2|ABC", max_size=60))
def test_gs1_looking_noise_raises_only_domain_errors(text: str) -> None:
    try:
        parse_carton(text, gs_standin="|")
    except DomainError:
        pass
