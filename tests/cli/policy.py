from pathlib import Path

POLICY_TABLE = Path(__file__).resolve().parent.parent / "data" / "policy_kit_table.tsv"


def policy_rows() -> list[tuple[int, int, int, int, str]]:
    """The kit table exactly as the payer policy prints it: vials, band low, band high, total mL, NDC."""
    rows = []
    for line in POLICY_TABLE.read_text().splitlines():
        vials, band, total, ndc = line.split("\t")
        low, high = band.split("-")
        rows.append((int(vials), int(low), int(high), int(total), ndc))
    return rows
