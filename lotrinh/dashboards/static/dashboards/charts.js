/* Lộ Trình charts: ECharts (served locally) drawn from JSON embedded in the page.
   Each chart element names its data with data-chart="type" and data-source="id of a <script type=application/json>". */
(function () {
  "use strict";
  const css = getComputedStyle(document.documentElement);
  const lang = document.documentElement.lang || "vi";
  const fmt = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });
  const STATUS_COLOURS = {
    achieved: "#2e7d32", on_track: "#66bb6a", acceleration_needed: "#f9a825",
    adjustment_needed: "#6a1b9a", limited: "#ef6c00", deterioration: "#c62828",
    not_achieved: "#8e0000", insufficient_data: "#90a4ae",
  };
  const text = (el, key, fallback) => el.dataset[key] || fallback;

  function data(el) {
    const source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");

  // The year once (points sit inside years, 2026.95), then each series' figure in the page's
  // language and, for a point not counted, why ("1/58 xã đã báo cáo").
  function trendTooltip(params) {
    const list = Array.isArray(params) ? params : [params];
    if (!list.length) return "";
    const lines = list.map((p) => {
      const [, y, why] = p.value;
      return p.marker + escape(p.seriesName) + ": " + (y == null ? "—" : fmt.format(y)) +
        (why ? " (" + escape(why) + ")" : "");
    });
    return [String(Math.floor(list[0].value[0]))].concat(lines).join("<br>");
  }

  function trend(el, d) {
    const actual = d.actual.map(([x, y]) => [x, y]);
    const series = [{ name: text(el, "labelActual", "Actual"), type: "line", data: actual, symbolSize: 4, smooth: false }];
    if (d.other && d.other.length) {  // provisional or partial-territory points: shown, not joined to the trend
      series.push({ name: text(el, "labelOther", "Not counted"), type: "scatter", data: d.other,
        symbol: "emptyCircle", symbolSize: 7, color: "#9e9e9e" });
    }
    if (d.forecast.length) {
      series.push({ name: text(el, "labelForecast", "Forecast"), type: "line", data: d.forecast,
        lineStyle: { type: "dashed" }, symbol: "none", color: "#78909c" });
    }
    if (d.target[0] !== null) {
      series.push({ name: text(el, "labelTarget", "Target"), type: "scatter", data: [d.target], symbol: "diamond",
        symbolSize: 12, color: "#c62828",
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dotted", color: "#c62828" },
          label: { show: false }, data: [{ yAxis: d.target[1] }] } });
    }
    return {
      // One scrolling legend row under the axis labels: a wrapped legend would cover the plot.
      animation: false, grid: { left: 40, right: 12, top: 10, bottom: 52 },
      legend: { type: "scroll", bottom: 0, itemWidth: 22, data: series.map((s) => s.name) },
      // Kept inside the chart and wrapped: a provisional point's note would run off a phone's edge.
      tooltip: { trigger: "axis", formatter: trendTooltip, confine: true,
        extraCssText: "white-space: normal; max-width: 16rem;" },
      // Points fall inside years (2022.5): ticks on whole years only, so each year is labelled once.
      xAxis: { type: "value", min: (v) => Math.floor(v.min), max: (v) => Math.ceil(v.max), minInterval: 1,
        axisLabel: { formatter: (v) => String(v), hideOverlap: true } },
      yAxis: { type: "value", inverse: !!d.inverse, scale: true, axisLabel: { formatter: (v) => fmt.format(v) } },
      series,
    };
  }

  function statusBars(el, d) {
    return {
      animation: false, legend: { bottom: 0, type: "scroll" }, grid: { left: 90, right: 12, top: 10, bottom: 40 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.pillarLabels },
      series: Object.keys(d.counts).map((status) => ({
        name: d.labels[status], type: "bar", stack: "all", data: d.counts[status], color: STATUS_COLOURS[status],
      })),
    };
  }

  function tilemap(el, d) {
    const values = d.tiles.map((t) => t.value).filter((v) => v !== null);
    const columns = Math.max(...d.tiles.map((t) => t.x)) + 1;
    const rows = Math.max(...d.tiles.map((t) => t.y)) + 1;
    const ROW = 40, LEGEND = 60;
    el.style.height = rows * ROW + LEGEND + "px";  // set before the chart measures its box
    const cellWidth = el.clientWidth / columns;
    // Whole names, wrapped onto two lines when a tile is narrow ("Hồ Chí / Minh").
    const label = (colour) => ({ show: true, fontSize: 10, lineHeight: 11, color: colour,
      width: Math.max(24, cellWidth - 6), overflow: "break", formatter: (p) => p.data[3] });
    // A heatmap draws no cell without a value: tiles without data get 0 in a grey series of their own.
    const cells = (withValue) => d.tiles.filter((t) => (t.value !== null) === withValue)
      .map((t) => [t.x, t.y, withValue ? t.value : 0, t.name]);
    return {
      animation: false, grid: { left: 2, right: 2, top: 2, bottom: LEGEND },
      tooltip: { formatter: (p) => p.data[3] + ": " + (p.seriesIndex === 1 ? text(el, "labelNoData", "no data") : fmt.format(p.data[2]) + " " + d.unit) },
      xAxis: { type: "category", data: [...Array(columns).keys()], show: false },
      yAxis: { type: "category", data: [...Array(rows).keys()], inverse: true, show: false },
      // The value is the third field of each tile (the fourth is its name), and only the tiles
      // with a value are coloured by it.
      visualMap: values.length ? { min: Math.min(...values), max: Math.max(...values), calculable: true, dimension: 2,
        seriesIndex: 0, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
        inRange: { color: d.inverse ? ["#1b5e20", "#fff59d"] : ["#fff59d", "#1b5e20"] } } : undefined,
      series: [
        { type: "heatmap", data: cells(true), label: label("#1a1a1a"),
          itemStyle: { borderColor: "#fff", borderWidth: 2 } },
        { type: "heatmap", data: cells(false), label: label("#546e7a"),
          itemStyle: { color: "#e3e8eb", borderColor: "#fff", borderWidth: 2 } },
      ],
    };
  }

  function dots(el, d) {
    return {
      animation: false, grid: { left: 40, right: 10, top: 10, bottom: 30 },
      tooltip: { formatter: (p) => p.data[2] },
      xAxis: { type: "value", scale: true, name: "lon" }, yAxis: { type: "value", scale: true, name: "lat" },
      series: [{ type: "scatter", symbolSize: 5, data: d.map((c) => [c.lon, c.lat, c.name]) }],
    };
  }

  function choropleth(el, d) {
    const values = d.tiles.map((t) => t.value).filter((v) => v !== null);
    return {
      animation: false,
      tooltip: { formatter: (p) => (p.data ? p.data.label + ": " + (p.data.value == null ? text(el, "labelNoData", "no data") : fmt.format(p.data.value) + " " + d.unit) : p.name) },
      visualMap: values.length ? { min: Math.min(...values), max: Math.max(...values), calculable: true, left: "left", bottom: 0,
        inRange: { color: d.inverse ? ["#1b5e20", "#fff59d"] : ["#fff59d", "#1b5e20"] } } : undefined,
      series: [{ type: "map", map: "vn-" + d.structure, nameProperty: "code", roam: true,
        itemStyle: { areaColor: "#eceff1", borderColor: "#90a4ae" },
        data: d.tiles.map((t) => ({ name: t.code, label: t.name, value: t.value })) }],
    };
  }

  const BUILDERS = { trend, "status-bars": statusBars, tilemap, dots, choropleth };

  function draw(el) {
    const d = data(el);
    if (!d || !window.echarts || el.dataset.drawn) return;
    el.dataset.drawn = "1";
    const render = () => {
      const option = BUILDERS[el.dataset.chart](el, d);  // may size the element first
      const chart = window.echarts.init(el, null, { renderer: "svg", locale: lang === "vi" ? "VI" : "EN" });
      chart.setOption(option);
      window.addEventListener("resize", () => chart.resize());
    };
    if (d.geojson_url) {  // the deployment's own boundaries, from this server
      fetch(d.geojson_url).then((r) => r.json()).then((geo) => { window.echarts.registerMap("vn-" + d.structure, geo); render(); });
    } else {
      render();
    }
  }

  function start() {
    if ("IntersectionObserver" in window) {
      const seen = new IntersectionObserver((entries) => entries.forEach((e) => {
        if (e.isIntersecting) { draw(e.target); seen.unobserve(e.target); }
      }), { rootMargin: "200px" });
      charts().forEach((el) => seen.observe(el));
    } else {
      charts().forEach(draw);
    }
  }
  // A4 portrait with the browser's default margins, in CSS pixels.
  const PRINT_WIDTH = 680;

  function charts() {
    return [...document.querySelectorAll("[data-chart]")];
  }

  function instance(el) {
    return window.echarts ? window.echarts.getInstanceByDom(el) : undefined;
  }

  // Printing lays the page out on paper: draw the charts not scrolled to yet, and make every chart
  // fit the paper's width; back to the screen's size afterwards.
  window.addEventListener("beforeprint", () => charts().forEach((el) => {
    draw(el);
    const chart = instance(el);
    if (chart) chart.resize({ width: Math.min(el.clientWidth, PRINT_WIDTH) });
  }));
  window.addEventListener("afterprint", () => charts().forEach((el) => {
    const chart = instance(el);
    if (chart) chart.resize({ width: "auto" });
  }));
  document.addEventListener("DOMContentLoaded", start);
})();
