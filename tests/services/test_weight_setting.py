"""The site's `drift_notice_pct` reaches every new preparation, which keeps it (issue 21)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hemgenix_desktop.domain.dose import DRIFT_NOTICE_PERCENT
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.setting_table import DRIFT_NOTICE_PERCENT as SETTING_DEFAULT
from hemgenix_desktop.setting_table import SiteSettings, setting_field
from hemgenix_desktop.storage import Store


def test_the_setting_and_the_domain_share_one_default() -> None:
    assert Decimal(SETTING_DEFAULT) == DRIFT_NOTICE_PERCENT
    assert setting_field("drift_notice_pct").default == SETTING_DEFAULT


def test_a_new_preparation_takes_the_sites_percentage(store: Store, tmp_path: Path) -> None:
    site = SiteSettings(drift_notice_pct=2)
    ws = Workstation.from_settings(store, practice=False, site=site, data_dir=tmp_path)
    prep = ws.new_preparation()
    assert prep.drift_notice_percent == Decimal(2)
    assert not prep.practice
    default = Workstation.from_settings(store, practice=False, data_dir=tmp_path).new_preparation()
    assert default.drift_notice_percent == DRIFT_NOTICE_PERCENT
