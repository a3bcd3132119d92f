"""Charts read right on a phone and a laptop, the tile map is filled and whole, and a printed
dashboard shows its content at the paper's width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboards import log_in

pytestmark = pytest.mark.browser

SIZES = [{"width": 390, "height": 844}, {"width": 1366, "height": 768}]
PROGRESS = "/programmes/binh-dinh-05-nq-tu/progress/"

# Scroll every trend chart into view (they are drawn when seen), then read what ECharts shows:
# the x-axis labels it lays out, and the legend's entries with the series they name.
READ_TRENDS = """async () => {
  const charts = [...document.querySelectorAll('[data-chart=trend]')];
  for (const el of charts) {
    el.scrollIntoView();
    for (let wait = 0; wait < 40 && !echarts.getInstanceByDom(el); wait++) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return charts.map((el) => {
    const chart = echarts.getInstanceByDom(el);
    if (!chart) return null;
    const option = chart.getOption();
    return {
      labels: chart.getModel().getComponent('xAxis').axis.getViewLabels().map((l) => l.formattedLabel),
      legend: (option.legend[0] || {data: []}).data.map((x) => (typeof x === 'string' ? x : x.name)),
      series: option.series.map((s) => ({name: s.name, line: (s.lineStyle || {}).type || '', symbol: s.symbol || ''})),
      plot: chart.getModel().getComponent('grid').coordinateSystem.getRect(),
      legendTop: (() => {
        const view = chart._componentsViews.find((v) => v && v.__model && v.__model.mainType === 'legend');
        return view ? view.group.y + view.group.getBoundingRect().y : null;
      })(),
      tooltipConfined: option.tooltip[0].confine === true,
      tooltip: option.tooltip[0].formatter([
        {value: [2026.95, 1234.5, '1/58 xã đã báo cáo'], marker: '', seriesName: 'Thực tế'},
      ]),
    };
  });
}"""

READ_TILES = """() => {
  const el = document.querySelector('div.tilemap');
  const chart = echarts.getInstanceByDom(el);
  const fills = [];
  chart.getModel().getSeries().forEach((series) => {
    const data = series.getData();
    for (let i = 0; i < data.count(); i++) {
      const shape = data.getItemGraphicEl(i);
      fills.push(shape ? String(shape.style.fill || '') : '');
    }
  });
  const texts = [...el.querySelectorAll('svg text')].map((t) => t.textContent);
  return {fills, texts};
}"""


@pytest.fixture(params=SIZES, ids=["phone", "laptop"])
def sized(browser, request):
    context = browser.new_context(locale="vi-VN", viewport=request.param)
    page = context.new_page()
    yield page
    context.close()


def test_trend_charts_label_each_year_once_and_explain_their_marks(sized, site_url):
    log_in(sized, site_url)
    sized.goto(site_url + PROGRESS)
    expect(sized.locator("article.target-card").first).to_be_visible()
    charts = sized.evaluate(READ_TRENDS)
    assert len(charts) >= 20 and None not in charts
    for chart in charts:
        assert chart["labels"], chart
        assert len(chart["labels"]) == len(set(chart["labels"])), chart["labels"]
        assert all(label.isdigit() for label in chart["labels"]), chart["labels"]
        # The legend stays under the plot, and the tooltip reads the year and figures as people do.
        assert chart["legendTop"] >= chart["plot"]["y"] + chart["plot"]["height"], chart
        assert chart["tooltip"] == "2026<br>Thực tế: 1.234,5 (1/58 xã đã báo cáo)"
        assert chart["tooltipConfined"]  # never off the screen's edge
    with_forecast = [c for c in charts if any(s["line"] == "dashed" for s in c["series"])]
    assert with_forecast, "the sample programme has forecasts"
    for chart in with_forecast:
        dashed = next(s["name"] for s in chart["series"] if s["line"] == "dashed")
        diamond = next(s["name"] for s in chart["series"] if s["symbol"] == "diamond")
        assert {"Dự báo", "Mục tiêu"} == {dashed, diamond}
        assert dashed in chart["legend"] and diamond in chart["legend"]


@pytest.mark.parametrize(("structure", "count"), [("2025", 34), ("legacy", 63)])
def test_the_tile_map_fills_every_tile_names_it_whole_and_stays_above_the_table(
    sized, site_url, structure, count
):
    sized.goto(
        f"{site_url}/indicators/ho-so-cong-viec-truc-tuyen/map/?structure={structure}&view=tiles"
    )
    expect(sized.locator("div.tilemap svg")).to_have_count(1)
    sized.locator("div.tilemap").scroll_into_view_if_needed()
    sized.wait_for_function("() => echarts.getInstanceByDom(document.querySelector('div.tilemap'))")
    tiles = sized.evaluate(READ_TILES)
    assert len(tiles["fills"]) == count
    assert all(fill and fill not in {"none", "transparent"} for fill in tiles["fills"]), tiles
    words = {word for text in tiles["texts"] for word in text.split()}
    names = sized.evaluate("JSON.parse(document.getElementById('map-data').textContent).tiles")
    for tile in names:
        assert set(tile["name"].split()) <= words, tile["name"]
    chart = sized.locator("div.tilemap svg").bounding_box()
    table = sized.locator("details").first.bounding_box()
    assert chart and table
    assert chart["y"] + chart["height"] <= table["y"]
    assert chart["x"] + chart["width"] <= sized.viewport_size["width"]


def test_a_printed_dashboard_hides_the_menus_and_fits_its_charts_to_the_paper(sized, site_url):
    log_in(sized, site_url)
    sized.goto(site_url + PROGRESS)
    expect(sized.locator("#summary .chart svg")).to_have_count(1)
    sized.emulate_media(media="print")
    sized.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(sized.locator("header nav")).to_be_hidden()
    expect(sized.locator("footer")).to_be_hidden()
    expect(sized.locator("main button").first).to_be_hidden()
    charts = sized.locator(".chart")
    expect(sized.locator(".chart svg")).to_have_count(charts.count())  # even those not scrolled to
    page_width = sized.evaluate("document.documentElement.clientWidth")
    for box in sized.locator(".chart svg").evaluate_all(
        "svgs => svgs.map((s) => s.getBoundingClientRect().width)"
    ):
        assert 0 < box <= min(page_width, 680)
