"""The open data's contact address is required by `check --deploy`, as data.json needs it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from lotrinh.opendata.checks import contact_address_is_set


def test_the_deploy_check_refuses_the_default_and_any_address_without_a_domain_name():
    for address in ("opendata@localhost", "", "du-lieu-mo", "du-lieu-mo@gialai", "a b@x.vn"):
        with override_settings(LOTRINH_OPEN_DATA_EMAIL=address):
            assert [e.id for e in contact_address_is_set()] == ["lotrinh.opendata.E001"], address
    with override_settings(LOTRINH_OPEN_DATA_EMAIL="du-lieu-mo@stttt.gialai.gov.vn"):
        assert contact_address_is_set() == []


def test_check_deploy_fails_on_the_default_contact_address_and_passes_with_a_real_one():
    with (
        override_settings(LOTRINH_OPEN_DATA_EMAIL="opendata@localhost"),
        pytest.raises(SystemCheckError, match=r"lotrinh\.opendata\.E001"),
    ):
        call_command("check", deploy=True, tags=["security"])
    with override_settings(LOTRINH_OPEN_DATA_EMAIL="du-lieu-mo@stttt.gialai.gov.vn"):
        try:
            call_command("check", deploy=True, tags=["security"])
        except SystemCheckError as error:
            assert "lotrinh.opendata.E001" not in str(error)
