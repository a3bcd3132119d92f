"""The five sample programmes' reviewed tasks load, move to today's agencies, and get an
illustrative mix of progress; a bad tasks file loads nothing and says where the problem is."""

import datetime
import json
from collections import Counter

import pytest

from lotrinh.indicators.parsing import ProgrammeFileError
from lotrinh.workplan.illustrative import generate_illustrative_progress
from lotrinh.workplan.models import Task, TaskProgress
from lotrinh.workplan.queries import completion_summary
from lotrinh.workplan.services import load_programme_tasks, load_sample_tasks

pytestmark = pytest.mark.django_db


def test_sample_tasks_load_once_with_their_source_and_current_agencies(programme):
    first = load_sample_tasks()
    assert first == 34 and load_sample_tasks() == 0  # a second run adds nothing
    task = Task.objects.get(programme=programme, deadline_kind="quarter")
    assert task.due_on == datetime.date(2020, 12, 31)
    assert "quý IV/2020" in programme.document_text[task.text_start : task.text_end]
    # Phú Yên's department of information and communications is now Đắk Lắk's science department.
    assert task.reassigned_from.name == "Sở Thông tin và Truyền thông"
    assert (task.lead_unit.name, task.lead_unit.parent.name) == (
        "Sở Khoa học và Công nghệ",
        "Tỉnh Đắk Lắk",
    )
    assert not Task.objects.filter(lead_unit__structure="legacy").exists()


def test_illustrative_progress_is_a_believable_mix(programme):
    load_sample_tasks()
    added = generate_illustrative_progress(datetime.date(2026, 12, 1))
    assert added == TaskProgress.objects.count() > 0
    assert TaskProgress.objects.filter(is_illustrative=False).count() == 0
    statuses = Counter(TaskProgress.objects.values_list("status", flat=True))
    assert set(statuses) == {"done", "in_progress", "blocked"}
    summary = completion_summary(programme, datetime.date(2026, 12, 1))
    assert 0 < summary.done < summary.total and summary.overdue > 0


def test_a_tasks_file_with_an_error_loads_nothing_and_names_line_and_field(programme, tmp_path):
    good = {"title": "Nhiệm vụ", "lead": "Sở Nội vụ", "deadline": "2025", "text": "Sở Xây dựng"}
    bad = {**good, "deadline": "sớm"}
    path = tmp_path / "x.tasks.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [good, bad]))
    with pytest.raises(ProgrammeFileError) as error:
        load_programme_tasks(programme, path)
    assert (error.value.line, error.value.field) == (2, "deadline")
    assert "x.tasks.jsonl" in str(error.value) and "sớm" in str(error.value)
    assert not Task.objects.filter(programme=programme).exists()


def test_the_load_tasks_command_names_the_problem_and_loads_nothing(programme, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.tasks.jsonl"
    path.write_text('{"title": "Nhiệm vụ", "lead": "Sở Nội vụ", "deadline": "2025"}\n')
    with pytest.raises(CommandError) as error:
        call_command("load_tasks", programme.code, str(path))
    assert "bad.tasks.jsonl" in str(error.value) and "text" in str(error.value)
    assert not Task.objects.filter(programme=programme).exists()
