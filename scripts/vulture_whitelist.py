"""Names the dead-code check (vulture, [tool.vulture] in pyproject.toml) must take as used.

Vulture reads the source and reports a function, class, method, attribute or variable that nothing in the
program (with scripts/, packaging/, benchmarks/) refers to. This file refers to the ones that are used all the
same, each with the reason; the check fails on anything else. Three kinds:

1. called by a framework, never by name in our code;
2. read by the tests only, on purpose (a seam the tests drive, a result field they assert);
3. dead today: "dead: to delete (<helper>)" names the helper of issue 12 who owns the file; the line goes with
   the code.

Never executed: vulture only reads it (``_`` stands for any object).
"""

# ruff: noqa: B018, F821

# 1. Called by a framework
_.initializePage  # Qt: QWizardPage override (ui/pages/base.py)
_.cleanupPage  # Qt: QWizardPage override
_.validatePage  # Qt: QWizardPage override
_.paintEvent  # Qt: QWidget override (ui/practice_sheet.py)
_.process_bind_param  # SQLAlchemy: TypeDecorator hook (storage/types.py)
_.process_result_value  # SQLAlchemy: TypeDecorator hook
impl  # SQLAlchemy: TypeDecorator class attribute
cache_ok  # SQLAlchemy: TypeDecorator class attribute
_.isolation_level  # sqlite3: the DB-API connection's attribute, set (storage/engine.py)
_.hAlign  # reportlab: a flowable's alignment, set (records/codes.py)
__getattr__  # Python: a module's lazy attributes (storage/__init__.py)
__subclasscheck__  # Python: issubclass() on the warning category filter (third_party_warnings.py)
namespace  # argparse: Action.__call__'s signature (cli/__init__.py)
NoticesBuildHook  # hatchling: the build hook of hatch_build.py
PLUGIN_NAME  # hatchling: the build hook's name
_.initialize  # hatchling: the build hook's entry
LABEL  # Enum member looked up by value from resources/checklist.toml (domain/checks.py Source)
_.pkcs11_module  # SiteSettings field read by its key (SiteSettings.value: getattr); key_protection resolves it
_.pkcs11_token  # SiteSettings field read by its key, as above
_.pkcs11_key_label  # SiteSettings field read by its key, as above

# 2. Read by the tests on purpose
_.next_button  # the GUI driver presses the wizard's Next (ui/wizard.py)
_.shown_scale  # tests/ui/test_screen_keyboard.py: the practice codes are shown large enough to read (ui/practice_sheet.py)
_.changed_keys  # tests/ui/test_correction.py asserts what a correction changes (ui/correction.py)
_.to_order  # tests/ui/test_practice.py builds the demo order (practice.py)
expected_stop  # tests/ui/test_practice.py: the stop each practice carton must give (practice.py)
parse_qr_payload  # tests/records read the record's QR code back (records/codes.py)
head_revision  # tests/storage/test_migrations.py (storage/migrate.py)
current_revision  # tests/storage/test_migrations.py, test_postgresql.py
first_broken  # AuditVerification's field the tamper tests assert (storage/audit.py)
prescription_kg  # DriftNotice's fields the weight-drift tests assert (domain/dose.py)
today_kg
change_kg
change_percent
ROW_PREFIXES  # tests/reliability/test_benchmark_smoke.py (benchmarks/run.py)

# 3. Dead today
describe_changes  # dead: to delete (DOMAIN) — domain/amendment.py, called by nothing, not even a test
ChecklistAnswers  # dead: to delete (DOMAIN) — domain/checks.py, used by nothing
_.weight_band_kg  # dead: to delete (DOMAIN) — domain/kits.py property; cli/clinical.py builds the pair itself
source_ref  # dead: to delete or print (DOMAIN) — domain/checks.py, read from checklist.toml, read by nothing
MONO_BOLD  # dead: to delete (RECORDS) — records/fonts.py, used by nothing
at_most  # dead: to delete (lead) — benchmarks/common.py, used by nothing

# Added when the branches of issue 12 were merged
_.RECORD_PRINTED  # domain.vocabulary: reached by name through print_action("record", True)
_.RECORD_PRINT_FAILED  # domain.vocabulary: print_action("record", False)
_.LABEL_PRINTED  # domain.vocabulary: print_action("label", True)
_.LABEL_PRINT_FAILED  # domain.vocabulary: print_action("label", False)
_.kit_ndc10  # security.record_view: a field of the sealed record, read and checked with the rest (tests assert it)
_.format_version  # security.record_view: the record format's version, checked when read (tests assert it)
_.validator  # setting_table: the column naming the function that owns each setting's rule (tests check it exists)
owner  # storage.store: the descriptor protocol's __get__(self, instance, owner) signature
_.__call__  # storage.store: a delegation called on the class (Store.seal_preparation(store, …)), as tests patch it
_.corrections  # storage.store: a repository the Store's delegations reach by its attribute name
_.signature_log  # storage.store: a repository the Store's delegations reach by its attribute name
_.locked  # services.session: whether the screen is locked now (the session tests assert it)

# Added for issue 16 (hostile input)
_.writelines  # cli.terminal.EscapingOutput: the text-stream protocol; lines written through sys.stdout are escaped too
