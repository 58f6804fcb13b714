// Charts of the target page: the trend over the years and the units below, each with the
// target drawn as a dashed line. Data comes from the page (json_script "chart-data").
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const blue = "#0072B2", orange = "#E69F00", grey = "#555";
  const statusColour = { met: "#0072B2", on_track: "#009E73", at_risk: "#E69F00", not_met: "#D55E00", no_data: "#999999", contribution: "#56B4E9" };
  const suffix = data.unit === "percent" ? "%" : "";
  const format = (v) => v === null ? "—" : v.toLocaleString("vi-VN", { maximumFractionDigits: 2 }) + suffix;
  const targetLine = (n) => ({ type: "line", label: "Chỉ tiêu", data: Array(n).fill(data.target),
    borderColor: grey, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false });
  Chart.defaults.font.family = "'Noto Sans', 'Segoe UI', Roboto, Arial, sans-serif";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;  // slow phones: draw once, at once

  // Vertical dashed lines between the year before and the year of a change: the day the
  // hierarchy was reorganised (1 July 2025; a year's figure is that of its last day's tree),
  // labelled at the top, and each new program's first year (a term boundary), at the bottom.
  const years = data.trend.years;
  const marks = [
    ...(data.reorganised ? [{ ...data.reorganised, colour: "#CC79A7", ink: "#7a3d62", top: true }] : []),
    ...(data.terms || []).map((t) => ({ ...t, colour: "#333", ink: "#222", top: false })),
  ].map((m) => ({ ...m, at: years.indexOf(m.year) })).filter((m) => m.at >= 0);
  const markers = { id: "markers", afterDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart;
    for (const m of marks) {
      const x = m.at > 0 ? (scales.x.getPixelForValue(m.at - 1) + scales.x.getPixelForValue(m.at)) / 2
        : scales.x.getPixelForValue(m.at);
      ctx.save();
      ctx.strokeStyle = m.colour; ctx.setLineDash([3, 3]); ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(x, chartArea.top); ctx.lineTo(x, chartArea.bottom); ctx.stroke();
      ctx.font = "12px " + Chart.defaults.font.family;
      const width = ctx.measureText(m.label).width, right = x > (chartArea.left + chartArea.right) / 2;
      const left = right ? x - 4 - width : x + 4, y = m.top ? chartArea.top + 1 : chartArea.bottom - 16;
      ctx.fillStyle = "rgba(255, 255, 255, 0.9)"; ctx.fillRect(left - 2, y, width + 4, 15);
      ctx.fillStyle = m.ink; ctx.textAlign = "left";
      ctx.fillText(m.label, left, y + 11);
      ctx.restore();
    }
  } };
  // The trend's target line follows each year's own program (it steps at a term boundary).
  const trendTarget = { ...targetLine(years.length), data: data.trend.targets || Array(years.length).fill(data.target),
    stepped: "middle" };

  new Chart(document.getElementById("trend-chart"), {
    type: "line", plugins: [markers],
    data: { labels: data.trend.years.map(String), datasets: [
      { label: "Kết quả", data: data.trend.values, borderColor: blue, backgroundColor: blue, spanGaps: true },
      ...(data.target_lines.trend ? [trendTarget] : []) ] },
    options: { plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + format(c.parsed.y) } } },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => format(v) } } } },
  });

  const canvas = document.getElementById("children-chart");
  if (!canvas || !data.children.names.length) return;
  // The names are abbreviated by the glossary's rules (units.text.abbreviated_name); on a narrow
  // screen a name still too long is cut at its end, never its start, and the tooltip gives it whole.
  const names = data.children.names, fullNames = data.children.full_names || names;
  const fit = (i) => {
    const room = Math.max(14, Math.floor(canvas.clientWidth / 14));
    return names[i].length > room ? names[i].slice(0, room - 1).trimEnd() + "…" : names[i];
  };
  // A bar opens its unit's own figures. With a mouse at once (hovering showed the name); on a
  // touch screen the first tap shows the full name, a second tap on the same bar opens it.
  let tapped = null;
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.children.names, datasets: [
      { label: "Kết quả", data: data.children.values,
        backgroundColor: data.children.statuses.map((s) => statusColour[s] || orange) },
      ...(data.target_lines.children ? [targetLine(data.children.names.length)] : []) ] },
    options: { indexAxis: "y", onClick: (event, elements) => {
        if (!elements.length || !data.children.links) return;
        const i = elements[0].index, touch = event.native && event.native.pointerType === "touch";
        if (!touch || tapped === i) window.location.href = data.children.links[i];
        tapped = i;
      },
      onHover: (event, elements) => { event.native.target.style.cursor = elements.length ? "pointer" : "default"; },
      plugins: { legend: { display: false },
      tooltip: { callbacks: { title: (items) => items.length ? fullNames[items[0].dataIndex] : "",
        label: (c) => c.dataset.label + ": " + format(c.parsed.x) } } },
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => format(v) } },
        y: { ticks: { autoSkip: false, callback: (v, i) => fit(i) } } } },
  });
})();
