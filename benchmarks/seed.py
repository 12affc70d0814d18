"""Fill a Store with many preparations and a long audit trail, fast, keeping the hash chain genuine.

Why not ``Store.start_preparation`` and ``save_draft``: each is one transaction through SQLAlchemy and costs
about 0.3 ms per event on this machine, so a million events would take most of an hour. The seeder writes
the same rows in a few large transactions instead, through the store's own tables (SQLAlchemy Core, the same
column types), and builds every audit event with the store's own functions (``changes``, ``canonical_json``,
``event_content``, ``event_hash``), linking each to the one before. The database's own guards stay on: the
audit head moves one event at a time (its trigger refuses anything else), and the unique indexes hold.
Nothing is hand-written SQL, and nothing bypasses the chain: after seeding, ``verify_audit_chain`` must find
every event intact, which the benchmark checks before it measures anything.

Each preparation's last events are the ones that brought it to its status, as the program writes them, so that
``audit verify``'s state checks (issue 15) do their real work: a signed one carries its preparer's
``signature_added`` event and row; a sealed one also its checker's, and a ``record_sealed`` event that keeps the
record's canonical text (here the preparation's data) and names its dose keys and the patient's name, date of
birth and MRN.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.storage import Store, User, short_id
from hemgenix_desktop.storage.audit import canonical_json, changes, event_content, event_hash
from hemgenix_desktop.storage.schema import (
    audit_events,
    audit_head,
    preparation_search_terms,
    preparations,
    signatures,
)
from hemgenix_desktop.storage.values import search_terms
from tests.helpers.preparations import fill_everything, new_prep

FIRST_NAMES = [
    "Alex",
    "Avery",
    "Blake",
    "Casey",
    "Dana",
    "Drew",
    "Eden",
    "Emery",
    "Finley",
    "Gray",
    "Harper",
    "Hayden",
    "Jamie",
    "Jordan",
    "Kai",
    "Kendall",
    "Lane",
    "Logan",
    "Morgan",
    "Noel",
    "Parker",
    "Quinn",
    "Reese",
    "Riley",
    "Rowan",
    "Sage",
    "Sam",
    "Skyler",
    "Taylor",
    "Toby",
    "Val",
    "Wren",
    "Ari",
    "Bo",
    "Cam",
    "Dee",
    "Eli",
    "Fox",
    "Jo",
    "Lee",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Okafor",
]
STEPS = ("eligibility", "identity", "weight", "kit", "preparation", "administration", "review", "review", "review")
START = datetime(2023, 1, 2, 7, 0, tzinfo=UTC)
SPACING = timedelta(minutes=15)  # one preparation every 15 minutes, around the clock
WORKSTATION = "hood-1"
_TOKENS = ("@@ID@@", "@@NAME@@", "@@PSI@@", "@@MRN@@", "QXSERIALQX")


def patient_name(i: int) -> str:
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"


def identifier(i: int) -> str:
    return f"PSI-{i:07d}"


def mrn(i: int) -> str:
    return f"MRN-{i:07d}"


def prep_id(i: int) -> str:
    return f"{i:08x}-5eed-4000-8000-{i:012x}"


def created_at(i: int) -> datetime:
    return START + i * SPACING


def status_of(i: int) -> PreparationStatus:
    """Mostly sealed; every 20th voided, every 20th (offset) signed, every 20th (offset) a draft."""
    return {
        0: PreparationStatus.VOIDED,
        7: PreparationStatus.SIGNED,
        13: PreparationStatus.DRAFT,
    }.get(i % 20, PreparationStatus.SEALED)


@dataclass
class Templates:
    """A whole preparation's data and its start event, as JSON text with tokens to put each one's values in."""

    data: str
    started_after: str

    @classmethod
    def build(cls) -> Templates:
        prep = fill_everything(new_prep(_TOKENS[2], _TOKENS[1], _TOKENS[3]), serial=_TOKENS[4])
        prep.id = _TOKENS[0]
        data = prep.to_dict()
        _, after = changes(None, data)
        return cls(json.dumps(data, ensure_ascii=False), canonical_json(after))


def _fill(template: str, i: int) -> str:
    text = template
    for token, value in zip(_TOKENS, (prep_id(i), patient_name(i), identifier(i), mrn(i), f"SN{i:09d}"), strict=True):
        text = text.replace(token, value)
    return text


def count_preparations(store: Store) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(preparations)).scalar_one())


def seed(
    store: Store, user: User, upto: int, events_per_preparation: int, batch: int = 2000, checker: User | None = None
) -> None:
    """Add preparations (each with ``events_per_preparation`` audit events, at least 6) until the store holds
    ``upto``; ``user`` prepares and signs each, ``checker`` (default: the same) checks the sealed ones."""
    if events_per_preparation < 6:
        raise ValueError("a sealed preparation takes 6 events: started, 2 signatures, signed, sealed, its record")
    templates = Templates.build()
    have = count_preparations(store)
    while have < upto:
        end = min(upto, have + batch)
        _seed_batch(store, (user, checker or user), range(have, end), events_per_preparation, templates)
        have = end


def _signature(prep: dict[str, Any], signer: User, role: str, meaning: str, at: datetime) -> dict[str, Any]:
    """A signature as ``Signature.to_dict`` writes it into its event."""
    return {
        "meaning": meaning,
        "username": signer.username,
        "printed_name": signer.full_name,
        "role": role,
        "signed_at_utc": at.isoformat(),
        "signed_at_local": at.isoformat(),
        "zone": "UTC",
        "workstation": WORKSTATION,
        "content_sha256": hashlib.sha256(prep["id"].encode()).hexdigest(),
        "subject": "",
        "reason": "",
    }


def _status_events(
    prep: dict[str, Any], status: PreparationStatus, people: tuple[User, User], at: datetime
) -> tuple[list[tuple[str, str, str, str]], list[dict[str, Any]]]:
    """The events that brought a preparation to its status (action, summary, before, after) and its signature rows."""
    short = short_id(prep["id"])
    if status is PreparationStatus.DRAFT:
        return [], []
    if status is PreparationStatus.VOIDED:
        change = canonical_json({"status": "draft"}), canonical_json({"status": "voided"})
        return [("preparation_voided", f"Preparation {short} is voided.", *change)], []
    preparer, checker = people
    signed = [_signature(prep, preparer, "technician", "Prepared by", at)]
    if status is PreparationStatus.SEALED:
        signed.append(_signature(prep, checker, "pharmacist", "Verified by", at))
    # Signatures are added while the record is being made (a trigger refuses them later), then its status moves.
    events = [
        ("signature_added", f"{one['printed_name']} signed it: {one['meaning']}.", "{}", canonical_json(one))
        for one in signed
    ]
    events.append(
        ("preparation_signed", f"Preparation {short} is signed.", '{"status":"draft"}', '{"status":"signed"}')
    )
    if status is PreparationStatus.SEALED:
        record = canonical_json(prep["data"])
        kept = {
            "record_id": f"REC-{prep['id'][:8].upper()}",
            "sha256": hashlib.sha256(record.encode()).hexdigest(),
            "record": record,
            **{key: prep[key] for key in ("patient_identifier", "carton_gtin", "carton_serial")},
            "patient_name": prep["patient_name"],
            "patient_date_of_birth": prep["patient_date_of_birth"].isoformat(),
            "patient_mrn": prep["patient_mrn"],
        }
        events += [
            ("preparation_sealed", f"Preparation {short} is sealed.", '{"status":"signed"}', '{"status":"sealed"}'),
            ("record_sealed", f"Record {kept['record_id']} of preparation {short} was sealed.", "{}",
             canonical_json(kept)),
        ]  # fmt: skip
    rows = [
        {
            "preparation_id": prep["id"],
            "meaning": one["meaning"],
            "username": one["username"],
            "full_name": one["printed_name"],
            "role": one["role"],
            "signed_at": at,
            "local_time": one["signed_at_local"],
            "time_zone": "UTC",
            "workstation": WORKSTATION,
            "content_sha256": one["content_sha256"],
            "subject": "",
            "reason": "",
            "amendment": 0,
        }
        for one in signed
    ]
    return events, rows


def _seed_batch(store: Store, people: tuple[User, User], numbers: range, per_prep: int, templates: Templates) -> None:
    user = people[0]
    with store.writing() as w:
        conn = w.conn
        conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB for the index inserts; seeding only
        head = conn.execute(select(audit_head.c.last_seq, audit_head.c.last_hash)).one()
        seq, last_hash = int(head.last_seq), str(head.last_hash)
        prep_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        signature_rows: list[dict[str, Any]] = []
        for i in numbers:
            status = status_of(i)
            at = created_at(i)
            data = json.loads(_fill(templates.data, i))
            data["step"] = STEPS[per_prep - 2] if per_prep >= 2 else "order"
            pid = prep_id(i)
            prep_rows.append(
                {
                    "id": pid,
                    "patient_identifier": identifier(i).casefold(),
                    "patient_identifier_entered": identifier(i),
                    "patient_name": patient_name(i),
                    "patient_date_of_birth": datetime(1950 + i % 50, 1 + i % 12, 1 + i % 28).date(),
                    "patient_mrn": mrn(i),
                    "carton_gtin": data["carton"]["gtin"],
                    "carton_serial": data["carton"]["serial"],
                    "status": "draft",  # moved to its status by its events (_STATUS_FROM_HEAD)
                    "void_reason": "Seeded for the benchmark." if status is PreparationStatus.VOIDED else None,
                    "step": data["step"],
                    "data": data,
                    "practice": False,
                    "created_by": user.username,
                    "created_at": at,
                    "updated_by": user.username,
                    "updated_at": at + timedelta(minutes=per_prep),
                    "workstation": WORKSTATION,
                }
            )
            short = short_id(pid)
            started_after = _fill(templates.started_after, i)
            events = [
                ("preparation_started", f"Started preparation {short} for {patient_name(i)}.", "{}", started_after)
            ]
            previous = "order"
            for j in range(1, per_prep):
                step = STEPS[(j - 1) % len(STEPS)]
                before = canonical_json({"step": previous, "weight_method": f"reading {j - 1}"})
                after = canonical_json({"step": step, "weight_method": f"reading {j}"})
                summary = f"Saved preparation {short} at step “{step}” (2 values changed)."
                events.append(("draft_saved", summary, before, after))
                previous = step
            # Its status as the trail says it (audit verify checks the tables against the trail): the last
            # saves are replaced by the events that brought it there.
            ending, signed = _status_events(prep_rows[-1], status, people, at)
            events[len(events) - len(ending) :] = ending
            signature_rows += signed
            for j, (action, text, before_text, after_text) in enumerate(events):
                seq += 1
                values: dict[str, Any] = {
                    "seq": seq,
                    "at": at + timedelta(minutes=j),
                    "username": user.username,
                    "full_name": user.full_name,
                    "workstation": WORKSTATION,
                    "action": action,
                    "preparation_id": pid,
                    "summary": text,
                    "before": before_text,
                    "after": after_text,
                    "prev_hash": last_hash,
                }
                last_hash = event_hash(event_content(**values))
                values["hash"] = last_hash
                event_rows.append(values)
        conn.execute(insert(preparations), prep_rows)
        conn.execute(
            insert(preparation_search_terms),
            [
                {"preparation_id": row["id"], "term": term}
                for row in prep_rows
                for term in sorted(
                    search_terms(row["patient_name"], row["patient_mrn"], row["patient_identifier_entered"])
                )
            ],
        )
        if signature_rows:
            conn.execute(insert(signatures), signature_rows)
        conn.execute(insert(audit_events), event_rows)
        conn.exec_driver_sql(_STATUS_FROM_HEAD)
        # The head's trigger lets it move one event at a time only: step it through every new event.
        conn.execute(
            update(audit_head)
            .where(audit_head.c.id == 1)
            .values(last_seq=bindparam("next_seq"), last_hash=bindparam("next_hash")),
            [{"next_seq": row["seq"], "next_hash": row["hash"]} for row in event_rows],
        )
        conn.exec_driver_sql("DROP TRIGGER temp.seed_status_from_head")


# While seeding: each step of the head onto a status event moves that preparation's status, as the program does in
# the event's transaction (the status trigger checks that the head's event names the new status).
_STATUS_FROM_HEAD = """CREATE TEMP TRIGGER seed_status_from_head AFTER UPDATE ON main.audit_head
BEGIN
    UPDATE preparations SET status = (
        SELECT CASE e.action WHEN 'preparation_signed' THEN 'signed' WHEN 'preparation_sealed' THEN 'sealed'
        WHEN 'preparation_voided' THEN 'voided' END FROM audit_events e WHERE e.seq = NEW.last_seq
    )
    WHERE id = (
        SELECT e.preparation_id FROM audit_events e WHERE e.seq = NEW.last_seq
        AND e.action IN ('preparation_signed', 'preparation_sealed', 'preparation_voided')
    );
END"""
