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
