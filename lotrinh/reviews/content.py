"""A review report's content as a structured document, written from the stored assessments.

`build_review` reads what the report states (the assessments kept for the cut-off, the previous
kept cut-off, reporting completeness, published figures) and assembles blocks that both renderers
(DOCX and PDF) lay out the same way. Every figure is written by the functions the dashboard uses
(`assessment.explain`, `core.formatting`), so the report and the dashboard say the same, to the
digit. Sentences come out in the active language (Vietnamese, or English for `en` users).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lotrinh.assessment.explain import explain, goal_figure, note_label
from lotrinh.assessment.models import Assessment, AssessmentStatus, PastAssessment
from lotrinh.assessment.queries import Cutoff, previous_cutoff
from lotrinh.assessment.series import known_by, territory
from lotrinh.core.formatting import format_measure, format_number
from lotrinh.indicators.models import Computation, Direction, Observation, Pillar, Programme
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import structure_on
from lotrinh.reporting.models import DataValue, Period, Report, Status
from lotrinh.reporting.publication import published_observations
from lotrinh.reporting.queries import expected_units, period_structure
from lotrinh.reviews import charts
from lotrinh.reviews.metadata import Metadata
from lotrinh.workplan.models import Task
from lotrinh.workplan.queries import completion_summary, lights_by_lead, with_state

LAGGING = ("not_achieved", "deterioration", "limited", "acceleration_needed", "adjustment_needed")
STATUS_ORDER = [s for s, _label in AssessmentStatus.choices]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: "I. KẾT QUẢ…", 2: "1. Tổng quan"


@dataclass(frozen=True)
class Paragraph:
    text: str
    placeholder: bool = False  # for people to write: shown highlighted


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # shares of the text width, summing to 1
    name: str = ""  # what the table is ("targets", "pillars"…), for tests and readers


@dataclass(frozen=True)
class Figure:
    """A chart as a PNG image, `width` the share of the text width it takes, with its caption."""

    png: bytes
    width: float
    caption: str


@dataclass(frozen=True)
class Letterhead:
    parent_body: str
    issuing_body: str
    number_line: str
    national_lines: list[str]  # "CỘNG HÒA…", "Độc lập…" (state) or "ĐẢNG CỘNG SẢN VIỆT NAM" (party)
    place_date: str
    doc_type: str
    title: str


@dataclass(frozen=True)
class Signature:
    authority: str
    title: str
    name: str


@dataclass
class ReviewContent:
    letterhead: Letterhead
    blocks: list[Heading | Paragraph | Table | Figure] = field(default_factory=list)
    signature: Signature = Signature("", "", "")
    recipients_label: str = ""
    recipients: list[str] = field(default_factory=list)


def number_line(meta: Metadata) -> str:
    """ "Số: 05/BC-UBND" (Decree 30/2020: numbers below 10 take a leading zero) or the party's
    "Số 123-BC/TU" (Guidance 36-HD/VPTW)."""
    if meta.layout == "party":
        return _("No. %(number)s-%(symbol)s") % {"number": meta.number, "symbol": meta.symbol}
    return _("No.: %(number)s/%(symbol)s") % {"number": f"{meta.number:02d}", "symbol": meta.symbol}


def place_date(place: str, day: datetime.date) -> str:
    """ "Quy Nhơn, ngày 05 tháng 02 năm 2025": days below 10 and months 1–2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def short_day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def two_lines(name: str, longest: int = 24) -> str:
    """A body's name too long for the letterhead's column, broken at the space nearest its middle
    ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI"), as such names are set by hand."""
    if len(name) <= longest or " " not in name:
        return name
    spaces = [i for i, c in enumerate(name) if c == " "]
    middle = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return f"{name[:middle]}\n{name[middle + 1 :]}"


def _letterhead(meta: Metadata) -> Letterhead:
    if meta.layout == "party":
        national = [_("COMMUNIST PARTY OF VIET NAM")]
    else:
        national = [_("SOCIALIST REPUBLIC OF VIET NAM"), _("Independence - Freedom - Happiness")]
    return Letterhead(
        parent_body=two_lines(meta.parent_body.upper()),
        issuing_body=two_lines(meta.issuing_body.upper()),
        number_line=number_line(meta),
        national_lines=national,
        place_date=place_date(meta.place, meta.issued_on),
        doc_type=_("REPORT"),
        title=meta.title,
    )


def _status_label(status: str) -> str:
    return str(dict(AssessmentStatus.choices).get(status, status))


def _counts_sentence(assessments: list[PastAssessment]) -> str:
    counts = Counter(a.status for a in assessments)
    parts = [
        f"{format_number(counts[s])} {_status_label(s).lower()}" for s in STATUS_ORDER if counts[s]
    ]
    return _("Of the %(total)s targets: %(parts)s.") % {
        "total": format_number(len(assessments)),
        "parts": "; ".join(parts),
    }


def _pillar_table(assessments: list[PastAssessment]) -> Table:
    shown = [s for s in STATUS_ORDER if any(a.status == s for a in assessments)]
    rows = []
    for pillar, label in Pillar.choices:
        mine = [a for a in assessments if a.target.pillar == pillar]
        if mine:
            rows.append(
                [str(label)]
                + [format_number(sum(1 for a in mine if a.status == s)) for s in shown]
                + [format_number(len(mine))]
            )
    rows.append(
        [_("Total")]
        + [format_number(sum(1 for a in assessments if a.status == s)) for s in shown]
        + [format_number(len(assessments))]
    )
    width = 0.7 / (len(shown) + 1)
    return Table(
        [_("Pillar")] + [_status_label(s) for s in shown] + [_("Total")],
        rows,
        [0.3] + [width] * (len(shown) + 1),
        name="pillars",
    )


def _comparison(assessments: list[PastAssessment], previous: Cutoff | None) -> list[Paragraph]:
    if previous is None:
        return [Paragraph(_("No earlier cut-off is kept, so there is no comparison yet."))]
    before = {a.target_id: a for a in previous.assessments}
    changed = [
        a for a in assessments if a.target_id in before and before[a.target_id].status != a.status
    ]
    lines = [
        Paragraph(
            _("Compared with the previous review (figures up to %(day)s): %(counts)s")
            % {"day": short_day(previous.as_of), "counts": _counts_sentence(previous.assessments)}
        )
    ]
    if not changed:
        lines.append(Paragraph(_("No target has changed status since then.")))
    for a in changed:
        lines.append(
            Paragraph(
                _("- %(indicator)s: previously %(before)s → now %(now)s.")
                % {
                    "indicator": a.target.indicator_name,
                    "before": _status_label(before[a.target_id].status).lower(),
                    "now": _status_label(a.status).lower(),
                }
            )
        )
    return lines


def _latest(a: Assessment | PastAssessment) -> str:
    counted = [p for p in a.series if p["counted"]]
    if a.latest_value is None or not counted:
        return "—"
    value = format_measure(a.latest_value, a.target.unit, a.target.indicator.unit_kind)
    return f"{value}\n({short_day(datetime.date.fromisoformat(counted[-1]['day']))})"


def target_row(index: int, a: Assessment | PastAssessment) -> list[str]:
    """One row of the targets' table: the same figures, rounded the same way, as the dashboard."""
    target = a.target
    kind = target.indicator.unit_kind

    def measure(value: float | None) -> str:
        return format_measure(value, target.unit, kind)

    base = "—" if a.base_value is None else f"{measure(a.base_value)}\n({int(a.base_year or 0)})"
    deadline = str(target.year) if target.year else "—"
    # The same indicator often has a target per tier: the tier tells the rows apart.
    name = (
        f"{target.indicator_name} ({target.get_level_display()})"
        if target.level
        else (target.indicator_name)
    )
    return [
        format_number(index),
        name,
        f"{goal_figure(target)}\n({deadline})",
        base,
        _latest(a),
        _status_label(a.status),
        measure(a.forecast_value),
        measure(a.gap),
    ]


def _targets_table(assessments: list[PastAssessment]) -> Table:
    return Table(
        [
            _("No."),
            pgettext("review", "Target"),
            _("Goal (deadline)"),
            _("Base"),
            _("Latest (date)"),
            _("Status"),
            _("Forecast at the deadline"),
            _("Gap"),
        ],
        [target_row(i, a) for i, a in enumerate(assessments, start=1)],
        [0.06, 0.24, 0.12, 0.1, 0.15, 0.12, 0.11, 0.1],
        name="targets",
    )


def _trend_chart(assessments: list[PastAssessment]) -> list[Figure]:
    png = charts.trends(assessments)
    if png is None:
        return []
    caption = _(
        "Chart 2. Targets behind schedule: approved figures (dots), the target at its deadline "
        "(star) and the forecast at the current pace (dashed)."
    )
    return [Figure(png, 1.0, caption)]


def units_behind(
    assessment: PastAssessment, as_of: datetime.date, limit: int = 3
) -> list[tuple[str, float]]:
    """The units of the target's territory and tier with the weakest figures on the day of its
    latest counted point, from the reports approved by the cut-off (each unit's own numerator
    over its own denominator), weakest first; [] for published figures."""
    target = assessment.target
    indicator = target.indicator
    counted = [p for p in assessment.series if p["counted"] and p["source"] == "reports"]
    if not counted:
        return []
    day = datetime.date.fromisoformat(counted[-1]["day"])
    units, _note = territory(target.programme.org_unit, structure_on(day), target.level)
    elements = [
        e for e in (indicator.numerator_id, indicator.denominator_id, indicator.reported_as_id) if e
    ]
    rows = (
        DataValue.objects.filter(
            known_by(as_of),
            report__status=Status.APPROVED,
            report__period__cutoff_to=day,
            report__org_unit__in=units.values("pk"),
            data_element_id__in=elements,
            value__isnull=False,
        )
        .values("report__org_unit__name", "data_element_id")
        .annotate(total=Sum("value"))
    )
    by_unit: dict[str, dict[int, Decimal]] = {}
    for row in rows:
        by_unit.setdefault(row["report__org_unit__name"], {})[row["data_element_id"]] = row["total"]
    values: list[tuple[str, float]] = []
    for name, totals in by_unit.items():
        if indicator.computation == Computation.RATIO:
            numerator = totals.get(indicator.numerator_id or 0)
            denominator = totals.get(indicator.denominator_id or 0)
            if numerator is not None and denominator:
                values.append((name, float(indicator.multiplier * numerator / denominator)))
        elif indicator.reported_as_id in totals:
            values.append((name, float(totals[indicator.reported_as_id])))
    lower_is_worse = indicator.direction != Direction.DECREASE
    values.sort(key=lambda item: item[1] if lower_is_worse else -item[1])
    return values[:limit]


def _lagging(assessments: list[PastAssessment], as_of: datetime.date) -> list[Paragraph]:
    behind = [a for a in assessments if a.status in LAGGING]
    if not behind:
        return [Paragraph(_("No target is behind schedule at this cut-off."))]
    lines = []
    for a in sorted(behind, key=lambda a: LAGGING.index(a.status)):
        lines.append(Paragraph(f"- {a.target.indicator_name}: {explain(a)}"))
        # A band overshot has no "weakest" unit, and one unit alone is the whole territory.
        weakest = units_behind(a, as_of) if a.status != "adjustment_needed" else []
        if len(weakest) > 1:
            kind = a.target.indicator.unit_kind
            listed = "; ".join(
                f"{name} ({format_measure(value, a.target.unit, kind)})" for name, value in weakest
            )
            lines.append(
                Paragraph(_("Units with the weakest figures: %(units)s.") % {"units": listed})
            )
    return lines


def _missing(assessments: list[PastAssessment]) -> list[Paragraph]:
    missing = [a for a in assessments if a.status == "insufficient_data"]
    if not missing:
        return []
    lines = [
        Paragraph(
            _("%(count)s targets have no sufficient data yet:")
            % {"count": format_number(len(missing))}
        )
    ]
    lines += [Paragraph(f"- {a.target.indicator_name}: {explain(a)}") for a in missing]
    return lines


def _completeness(programme: Programme, as_of: datetime.date, since: datetime.date) -> Table:
    """Per period of the review: units expected to report, reports sent by the cut-off, sent on
    time, and approved by the cut-off. Who must report depends on a period only through its
    regime and structure, so it is asked once for each (a few queries for all periods)."""
    province = programme.org_unit
    periods = list(
        Period.objects.filter(cutoff_to__lte=as_of, cutoff_to__gte=since)
        .select_related("regime")
        .order_by("cutoff_to", "regime__code")
    )
    groups: dict[tuple[int, str], list[Period]] = {}
    for period in periods:
        groups.setdefault((period.regime_id, period_structure(period)), []).append(period)
    expected: dict[int, int] = {}
    counts: dict[int, dict[str, int]] = {}
    for (_regime, structure), members in groups.items():
        units, _note = territory(province, structure, "")
        due = list(
            expected_units(members[0].regime, members[0])
            .filter(pk__in=units.values("pk"))
            .values_list("pk", flat=True)
        )
        rows = (
            Report.objects.filter(period__in=members, org_unit_id__in=due)
            .values("period_id")
            .annotate(
                sent=Count("pk", filter=Q(submitted_at__date__lte=as_of)),
                on_time=Count(
                    "pk",
                    filter=Q(submitted_at__date__lte=as_of)
                    & Q(submitted_at__date__lte=F("due_on")),
                ),
                approved=Count("pk", filter=known_by(as_of, prefix="")),
            )
        )
        counts |= {
            row["period_id"]: {name: row[name] for name in ("sent", "on_time", "approved")}
            for row in rows
        }
        expected |= {period.pk: len(due) for period in members}
    empty = {"sent": 0, "on_time": 0, "approved": 0}
    return Table(
        [_("Regime"), _("Period"), _("Units due"), _("Sent"), _("On time"), _("Approved")],
        [
            [
                period.regime.name,
                period.label,
                format_number(expected[period.pk]),
                format_number(counts.get(period.pk, empty)["sent"]),
                format_number(counts.get(period.pk, empty)["on_time"]),
                format_number(counts.get(period.pk, empty)["approved"]),
            ]
            for period in periods
            if expected[period.pk]
        ],
        [0.34, 0.14, 0.13, 0.13, 0.13, 0.13],
        name="completeness",
    )


def _observations(programme: Programme, as_of: datetime.date) -> Table:
    provinces = [programme.org_unit.pk] + list(
        OrgUnit.objects.filter(
            predecessor_links__predecessor=programme.org_unit, tier=Tier.PROVINCE
        ).values_list("pk", flat=True)
    )
    indicators = programme.target_set.values("indicator_id")
    rows = published_observations(
        Observation.objects.filter(
            org_unit_id__in=provinces, indicator_id__in=indicators, year__lte=as_of.year
        )
    ).order_by("indicator_name", "year")
    return Table(
        [_("Figure as published"), _("Period"), _("Value"), _("Source")],
        [
            [
                row.indicator_name,
                row.period_label,
                f"{format_number(row.value)} {row.unit}",
                row.source_url,
            ]
            for row in rows[:60]
        ],
        [0.38, 0.12, 0.14, 0.36],
        name="published",
    )


def _territory(
    programme: Programme, as_of: datetime.date, assessments: list[PastAssessment]
) -> list[Paragraph]:
    province = programme.org_unit
    if province.structure != Structure.LEGACY or as_of < REFORM_DATE:
        return []
    successor = OrgUnit.objects.filter(
        predecessor_links__predecessor=province, tier=Tier.PROVINCE
    ).first()
    lines = [
        Paragraph(
            _(
                "Since 01/07/2025 %(old)s has been part of %(new)s: the targets are followed on "
                "the territory of the former %(old)s within %(new)s."
            )
            % {
                "old": in_sentence(province.name),
                "new": in_sentence(successor.name) if successor else "—",
            }
        )
    ]
    notes = sorted({note for a in assessments for note in a.notes})
    lines += [Paragraph(note_label(note)) for note in notes]
    return lines


KINDS = {
    "resolution": ("Resolution", "Nghị quyết"),
    "decision": ("Decision", "Quyết định"),
    "conclusion": ("Conclusion", "Kết luận"),
    "plan": ("Plan", "Kế hoạch"),
}


def in_sentence(name: str) -> str:
    """A unit's name inside a sentence: "tỉnh Bình Định", not "Tỉnh Bình Định"."""
    for word in ("Tỉnh ", "Thành phố ", "Huyện ", "Xã ", "Phường "):
        if name.startswith(word):
            return word.lower() + name[len(word) :]
    return name


def _introduction(programme: Programme, as_of: datetime.date, meta: Metadata) -> str:
    """ "Thực hiện Nghị quyết số 05-NQ/TU ngày 20/09/2021 của … về chuyển đổi số …, Tỉnh ủy …
    báo cáo …": the programme's own title without its leading "Nghị quyết về"."""
    english, vietnamese = KINDS.get(programme.document_type, ("Document", "Văn bản"))
    kind = pgettext("document type", english)
    title = programme.title
    for prefix in (f"{vietnamese} về ", f"{vietnamese} "):
        if title.lower().startswith(prefix.lower()):
            title = title[len(prefix) :]
            break
    return _(
        "Implementing %(kind)s %(number)s of %(issuer)s dated %(day)s on %(title)s, %(body)s "
        "reports on its implementation with figures up to %(as_of)s, as follows:"
    ) % {
        "kind": kind,
        "number": programme.number,
        "issuer": programme.issuer,
        "day": short_day(programme.issued_on),
        "title": title,
        "body": meta.issuing_body,
        "as_of": short_day(as_of),
    }


def _tasks(programme: Programme, as_of: datetime.date) -> list[Paragraph | Table]:
    """How the programme's tasks stand on the cut-off (approved progress only), by lead agency."""
    tasks = Task.objects.filter(programme=programme)
    counts = completion_summary(programme, as_of)
    if not counts.total:
        return [
            Paragraph(_("No task of this programme is recorded in Lộ Trình yet.")),
            placeholder(_("the completion of the programme's tasks")),
        ]
    found: list[Paragraph | Table] = [
        Paragraph(
            _(
                "By %(as_of)s, %(done)s of %(total)s tasks were done; %(overdue)s were overdue, "
                "%(at_risk)s at risk and %(blocked)s blocked (from the progress approved by then)."
            )
            % {
                "as_of": short_day(as_of),
                "done": counts.done,
                "total": counts.total,
                "overdue": counts.overdue,
                "at_risk": counts.at_risk,
                "blocked": counts.blocked,
            }
        )
    ]
    by_lead = lights_by_lead(tasks, as_of)
    leads = OrgUnit.objects.in_bulk(list(by_lead))
    # The agencies that are furthest behind come first.
    order = sorted(by_lead, key=lambda pk: (-by_lead[pk]["counts"].overdue, leads[pk].name))
    rows = [
        [
            leads[pk].name,
            str(by_lead[pk]["counts"].total),
            str(by_lead[pk]["counts"].done),
            str(by_lead[pk]["counts"].overdue),
            str(by_lead[pk]["counts"].at_risk),
            str(by_lead[pk]["label"]),
        ]
        for pk in order
    ]
    header = [_("Lead agency"), _("Tasks"), _("Done"), _("Overdue"), _("At risk"), _("Light")]
    found.append(Table(header, rows, [0.4, 0.1, 0.1, 0.12, 0.12, 0.16], name="tasks"))
    return found + _tasks_behind(tasks, as_of, {pk: i for i, pk in enumerate(order)})


MAX_TASKS_LISTED = 100  # a review stays readable; the rest are counted


def _tasks_behind(
    tasks: QuerySet[Task], as_of: datetime.date, lead_rank: dict[int, int]
) -> list[Paragraph | Table]:
    """The tasks overdue or blocked on the cut-off, by lead agency (in the order of the table
    above) with their deadlines, so the committee sees who must do what."""
    behind = with_state(tasks, as_of).filter(Q(is_overdue=True) | Q(state_status="blocked"))
    listed = sorted(
        behind.select_related("lead_unit"),
        key=lambda t: (lead_rank.get(t.lead_unit_id, 0), t.due_on or datetime.date.max, t.pk),
    )
    if not listed:
        return []
    rows = [
        [
            task.lead_unit.name,
            task.title,
            task.deadline.label,
            _("overdue") if task.is_overdue else _("blocked"),  # type: ignore[attr-defined]
        ]
        for task in listed[:MAX_TASKS_LISTED]
    ]
    found: list[Paragraph | Table] = [
        Paragraph(_("Tasks overdue or blocked by %(as_of)s:") % {"as_of": short_day(as_of)}),
        Table(
            [_("Lead agency"), _("Task"), _("Deadline"), _("State")],
            rows,
            [0.28, 0.44, 0.14, 0.14],
            name="tasks-behind",
        ),
    ]
    if len(listed) > MAX_TASKS_LISTED:
        found.append(Paragraph(_("and %(more)s more.") % {"more": len(listed) - MAX_TASKS_LISTED}))
    return found


def placeholder(what: str) -> Paragraph:
    return Paragraph(_("[To be written: %(what)s]") % {"what": what}, placeholder=True)


def build_review(
    programme: Programme, as_of: datetime.date, meta: Metadata, assessments: list[PastAssessment]
) -> ReviewContent:
    """The whole report for `programme` with figures up to `as_of`, from its kept assessments."""
    previous = previous_cutoff(programme, as_of)
    since = previous.as_of if previous else programme.issued_on
    content = ReviewContent(letterhead=_letterhead(meta))
    add = content.blocks.extend
    add(
        [
            Paragraph(_introduction(programme, as_of, meta)),
            *_territory(programme, as_of, assessments),
            Heading(_("I. RESULTS")),
            Heading(_("1. Overall picture"), 2),
            Paragraph(_counts_sentence(assessments)),
            _pillar_table(assessments),
            Figure(
                charts.status_by_pillar(assessments),
                0.8,
                _("Chart 1. Targets by status in each pillar."),
            ),
            *_comparison(assessments, previous),
            Heading(_("2. Each target"), 2),
            Paragraph(
                _(
                    "Status, latest figure and forecast of every target, computed from approved "
                    "reports and published figures (method: %(method)s)."
                )
                % {"method": pgettext("review", "growth compared with the growth needed")}
            ),
            _targets_table(assessments),
            *_trend_chart(assessments),
            Heading(_("3. Targets behind schedule"), 2),
            *_lagging(assessments, as_of),
            *_missing(assessments),
            Heading(_("4. Reporting completeness and timeliness"), 2),
            Paragraph(
                _("Reports of the units of the territory from %(since)s to %(as_of)s:")
                % {"since": short_day(since), "as_of": short_day(as_of)}
            ),
            _completeness(programme, as_of, since),
            Heading(_("5. Published figures"), 2),
            _observations(programme, as_of),
            Heading(_("6. Tasks"), 2),
            *_tasks(programme, as_of),
            Heading(_("II. SHORTCOMINGS AND THEIR CAUSES")),
            placeholder(_("shortcomings, limitations and their objective and subjective causes")),
            Heading(_("III. LESSONS LEARNT")),
            placeholder(_("lessons learnt")),
            Heading(_("IV. TASKS AND SOLUTIONS AHEAD")),
            placeholder(_("tasks and solutions for the coming period")),
            Heading(_("V. PROPOSALS")),
            placeholder(_("proposals and recommendations")),
        ]
    )
    content.signature = Signature(
        meta.signer_authority.upper(), meta.signer_title.upper(), meta.signer_name
    )
    content.recipients_label = _("Recipients:")
    content.recipients = [f"- {r};" for r in meta.recipients] + [_("- Archive: VT.")]
    return content
