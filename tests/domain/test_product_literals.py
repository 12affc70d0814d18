"""Every product number (mL per kg, mL per vial, genome copies per kg and per mL, the infusion rate, the pound)
is read from ``resources/product.toml`` through ``domain/product.py`` and never written again: this test reads
every string literal of the package and fails when one spells a product number out."""

from __future__ import annotations

import io
import re
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest

from hemgenix_desktop.domain.product import ProductFacts, product_facts

PACKAGE = Path(__file__).resolve().parents[2] / "hemgenix_desktop"
ALLOWED = {PACKAGE / "domain" / "product.py"}  # the one reader of resources/product.toml


def _number(value: Decimal) -> str:
    """A product number as a pattern: 2, 2.0 and 2.00 all count."""
    text = format(value.normalize(), "f")
    return re.escape(text) + (r"(?:\.0+)?" if "." not in text else "0*")


def _power(value: Decimal) -> str:
    """Genome copies as people write them: 2e13, 2×10^13, 2 x 10¹³, 2.0E+13."""
    _sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    power = len(digits) - 1 + exponent
    mantissa = str(digits[0]) + (r"(?:\.0+)?" if len(digits) == 1 else r"\." + "".join(map(str, digits[1:])))
    superscript = str(power).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return rf"\b{mantissa}\s*(?:[eE]\+?{power}\b|[×xX*]\s*10\s*(?:\^|\*\*)?\s*(?:{power}\b|{superscript}))"


def product_patterns(facts: ProductFacts) -> dict[str, re.Pattern[str]]:
    ml_kg, per_vial = _number(facts.ml_per_kg), _number(facts.extractable_ml_per_vial)
    return {
        "mL per kg": re.compile(rf"(?<![0-9.]){ml_kg}\s*mL\s*(?:/|per|a|each)\s*kg", re.IGNORECASE),
        "mL per vial": re.compile(
            rf"(?:[×x÷/*]\s*{per_vial}\s*mL\b|(?<![0-9.]){per_vial}\s*mL\s*(?:/|per|a|each|in each)\s*vial)",
            re.IGNORECASE,
        ),
        "genome copies per kg": re.compile(_power(facts.gc_per_kg)),
        "genome copies per mL": re.compile(_power(facts.gc_per_ml)),
        "infusion rate": re.compile(rf"(?<![0-9.]){_number(facts.rate_ml_per_h)}\s*mL\s*(?:/|per|an)\s*h", re.I),
        "pound in kg": re.compile(re.escape(str(facts.lb_to_kg))),
    }


def _literals(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(token.start[0], token.string) for token in tokens if token.type == tokenize.STRING]


def offenders() -> dict[str, list[str]]:
    patterns = product_patterns(product_facts())
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in ALLOWED:
            continue
        for line, text in _literals(path):
            for name, pattern in patterns.items():
                if pattern.search(text):
                    found.setdefault(path.relative_to(PACKAGE).as_posix(), []).append(f"line {line}: {name}")
    return found


def test_the_patterns_find_each_product_number_as_people_write_it() -> None:
    patterns = product_patterns(product_facts())
    written = {
        "mL per kg": ["2 mL/kg", "2 mL per kg", "2.0 ml/kg"],
        "mL per vial": ["vials × 10 mL", "dose ÷ 10 mL", "10 mL per vial", "/10 mL"],
        "genome copies per kg": ["2e13", "2×10^13", "2 x 10¹³", "2.0E+13"],
        "genome copies per mL": ["1e13", "1×10^13"],
        "infusion rate": ["500 mL/h", "500 mL per h"],
        "pound in kg": ["0.45359237"],
    }
    for name, texts in written.items():
        for text in texts:
            assert patterns[name].search(text), (name, text)
    harmless = ["12 mL/kg", "144 mL drawn up", "room.width() * 9 // 10", "2e130", "1500 mL/h", "kg × {ml_per_kg} mL/kg"]
    for text in harmless:
        assert not any(p.search(text) for p in patterns.values()), text


@pytest.mark.slow
def test_no_product_number_is_written_outside_the_product_file() -> None:
    assert offenders() == {}, "read these from domain.product.product_facts() instead"
