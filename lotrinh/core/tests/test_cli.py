"""The `lotrinh` command accepts hyphenated command names."""

from unittest import mock

from lotrinh import cli


def test_hyphens_in_command_names_become_underscores():
    with mock.patch("django.core.management.execute_from_command_line") as run:
        cli.main(["lotrinh", "load-units", "--verbosity", "0"])
    run.assert_called_once_with(["lotrinh", "load_units", "--verbosity", "0"])


def test_options_before_a_command_are_left_alone():
    with mock.patch("django.core.management.execute_from_command_line") as run:
        cli.main(["lotrinh", "--version"])
    run.assert_called_once_with(["lotrinh", "--version"])


def test_serve_uses_the_production_settings_by_default(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    monkeypatch.setenv("LOTRINH_SECRET_KEY", "a-key-for-this-test-only")
    with mock.patch("django.core.management.execute_from_command_line") as run:
        assert cli.main(["lotrinh", "serve"]) == 0
    run.assert_called_once_with(["lotrinh", "serve"])
    assert cli.os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_serve_without_a_secret_key_refuses_and_says_how_to_run_locally(monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    monkeypatch.delenv("LOTRINH_SECRET_KEY", raising=False)
    with mock.patch("django.core.management.execute_from_command_line") as run:
        assert cli.main(["lotrinh", "serve"]) == 2
    run.assert_not_called()
    assert "make run" in capsys.readouterr().err


def test_serve_keeps_the_settings_it_is_given(monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.base")
    monkeypatch.delenv("LOTRINH_SECRET_KEY", raising=False)
    with mock.patch("django.core.management.execute_from_command_line") as run:
        assert cli.main(["lotrinh", "serve"]) == 0
    run.assert_called_once()


def test_other_commands_keep_the_base_settings(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    with mock.patch("django.core.management.execute_from_command_line"):
        cli.main(["lotrinh", "load-units"])
    assert cli.os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.base"
