"""Split a document into plain and highlighted segments for the spans that targets cite."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    anchors: list[str] = field(default_factory=list)
    highlighted: bool = False


def highlight(document: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Return the document as segments; overlapping spans merge into one highlighted segment.

    `spans` holds (start, end, anchor); every anchor of a merged span is kept so each target can
    link to its sentence.
    """
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, anchor in sorted(spans):
        if merged and start <= merged[-1][1]:
            last_start, last_end, anchors = merged[-1]
            merged[-1] = (last_start, max(last_end, end), [*anchors, anchor])
        else:
            merged.append((start, end, [anchor]))
    segments: list[Segment] = []
    position = 0
    for start, end, anchors in merged:
        if start > position:
            segments.append(Segment(document[position:start]))
        segments.append(Segment(document[start:end], anchors, True))
        position = end
    if position < len(document):
        segments.append(Segment(document[position:]))
    return segments
