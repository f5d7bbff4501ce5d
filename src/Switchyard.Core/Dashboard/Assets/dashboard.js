// Switchyard dashboard: draws the charts described by data-chart, opens the traces behind a clicked
// bucket, and refreshes pages marked data-live without a full reload (the page is fetched again and
// its <main> swapped in, charts redrawn).
(function () {
  "use strict";
  const charts = [];

  function format(unit, value) {
    if (value === null || value === undefined) return "–";
    if (unit === "$") return "$" + (value === 0 ? "0" : value < 0.01 ? value.toPrecision(2) : value < 1 ? value.toFixed(4) : value.toFixed(2));
    if (unit === "%") return value.toFixed(1) + " %";
    if (unit === "ms") return (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en")) + " ms";
    return Math.round(value).toLocaleString("en");
  }

  function draw(canvas) {
    const spec = JSON.parse(canvas.dataset.chart || "{}");
    if (!spec.datasets || typeof Chart === "undefined") return;
    const stacked = spec.datasets.some(d => d.stack);
    const chart = new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(d => ({
          label: d.label, data: d.data, stack: d.stack,
          backgroundColor: d.color + (spec.type === "line" ? "33" : "cc"), borderColor: d.color,
          borderWidth: spec.type === "line" ? 2 : 0, pointRadius: spec.type === "line" ? 1.5 : 0, spanGaps: false, tension: 0.2,
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked, ticks: { maxTicksLimit: 12, autoSkip: true } },
          // Counts step in whole numbers: no "1, 1, 2, 2" ticks from rounding halves.
          y: { stacked, beginAtZero: true, ticks: { precision: spec.unit === "" ? 0 : undefined, callback: v => format(spec.unit, v) } },
        },
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: c => c.dataset.label + ": " + format(spec.unit, c.parsed.y), footer: () => spec.links ? "click for the traces" : "" } },
        },
        onClick: (event, elements, chart) => {
          if (!spec.links) return;
          const hit = chart.getElementsAtEventForMode(event, "index", { intersect: false }, false);
          if (hit.length > 0) window.location.href = spec.links[hit[0].index];
        },
        onHover: (event, elements) => { event.native.target.style.cursor = spec.links && elements.length ? "pointer" : "default"; },
      },
    });
    charts.push(chart);
  }

  function drawAll(root) {
    while (charts.length) charts.pop().destroy();
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  async function refresh() {
    if (document.hidden) return;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin", headers: { "x-requested-with": "switchyard-refresh" } });
      if (!response.ok || response.redirected) return;
      const html = await response.text();
      const next = new DOMParser().parseFromString(html, "text/html").querySelector("main");
      const main = document.querySelector("main");
      if (!next || !main) return;
      // Keep what the user is typing in a filter field.
      if (main.contains(document.activeElement) && document.activeElement.tagName === "INPUT") return;
      main.replaceWith(next);
      drawAll(document);
      document.body.dataset.refreshed = new Date().toISOString();
    } catch (e) { /* the next tick tries again */ }
  }

  // Forms that change something irreversible ask first.
  document.addEventListener("submit", event => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);

  // Behaviour that would otherwise be inline handlers, which the Content-Security-Policy forbids:
  // controls marked data-autosubmit submit their form; the window picker shows the from/to fields for "custom".
  document.addEventListener("change", event => {
    const control = event.target;
    if (control.matches("[data-autosubmit]")) control.form.submit();
    if (control.matches("[data-custom-window]")) control.form.querySelector(".custom").hidden = control.value !== "custom";
  });

  // For the browser tests and the console: refresh now.
  window.switchyardRefresh = refresh;

  document.addEventListener("DOMContentLoaded", () => {
    drawAll(document);
    const live = document.querySelector("[data-live]");
    if (live) setInterval(refresh, Math.max(5, parseInt(live.dataset.live, 10) || 30) * 1000);
  });
})();
