// One probe's temperatures as uPlot draws them, from GET /shipments/{sscc}/temperatures:
//   the readings as a line, broken at every reported gap (a null point inside the gap: uPlot does not span nulls);
//   the product class's band as two flat series with the space between them shaded (uPlot's bands);
//   a window summary's minimum and maximum (when the series has window summaries) as two faint series, so a window
//   whose mean stayed in the band but whose maximum left it shows where it went;
//   each excursion as a shaded span (red above the band, blue below) and the breach as a vertical line, drawn by a
//   draw hook that records what it drew on the plot's element (data-drawn-excursions, data-drawn-breach).

import uPlot from './uPlot.esm.js';

const ABOVE_FILL = 'rgba(179, 38, 30, 0.18)';
const BELOW_FILL = 'rgba(31, 95, 191, 0.18)';
const BAND_FILL = 'rgba(46, 125, 50, 0.10)';

const seconds = (iso) => Date.parse(iso) / 1000;

/**
 * The plot's columns: x in epoch seconds (sorted), the readings with a null inside every gap, and the band's edges
 * (null columns when the product class has no band).
 */
export function probeColumns(probe, band) {
  const rows = probe.points.map((p) => [seconds(p.at), p.celsius, p.minCelsius ?? p.celsius, p.maxCelsius ?? p.celsius]);
  for (const g of probe.gaps || []) {
    const from = seconds(g.from);
    const to = seconds(g.to);
    rows.push([from + (to - from) / 2, null, null, null]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const xs = rows.map((r) => r[0]);
  const ys = rows.map((r) => r[1]);
  const columns = [xs, ys];
  for (const bound of bounds(band)) {
    columns.push(xs.map(() => bound.celsius));
  }
  if (hasWindows(probe)) {
    columns.push(rows.map((r) => r[2]), rows.map((r) => r[3])); // the windows' minimum, then maximum
  }
  return columns;
}

/** True when some point is a window summary (it carries its extremes). */
function hasWindows(probe) {
  return probe.points.some((p) => typeof p.minCelsius === 'number' || typeof p.maxCelsius === 'number');
}

/** The band's bounds that are set (a bound is absent when the class leaves it open), upper first. */
function bounds(band) {
  const out = [];
  if (band && typeof band.maxCelsius === 'number') {
    out.push({ name: 'max', celsius: band.maxCelsius });
  }
  if (band && typeof band.minCelsius === 'number') {
    out.push({ name: 'min', celsius: band.minCelsius });
  }
  return out;
}

function excursionHook(probe, breachAt, element) {
  return (u) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    let drawn = 0;
    ctx.save();
    for (const e of probe.excursions || []) {
      const x0 = Math.max(left, u.valToPos(seconds(e.from), 'x', true));
      const x1 = Math.min(left + width, u.valToPos(seconds(e.to), 'x', true));
      if (x1 < left || x0 > left + width) {
        continue;
      }
      ctx.fillStyle = e.side === 'BELOW' ? BELOW_FILL : ABOVE_FILL;
      ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
      drawn++;
    }
    let breach = false;
    if (breachAt) {
      const x = u.valToPos(seconds(breachAt), 'x', true);
      if (x >= left && x <= left + width) {
        ctx.strokeStyle = '#b3261e';
        ctx.lineWidth = 2 * uPlot.pxRatio;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        breach = true;
      }
    }
    ctx.restore();
    element.dataset.drawnExcursions = String(drawn);
    element.dataset.drawnBreach = String(breach);
  };
}

/** Draws one probe into element (its data attributes say what was drawn); returns the uPlot instance. */
export function drawProbe(element, probe, band, breachAt, width) {
  const series = [
    {},
    { label: probe.probe + ' °C', stroke: '#1d2430', width: 1.5, spanGaps: false }, // points shown when sparse
  ];
  const options = {
    width,
    height: 240,
    series,
    scales: { x: { time: true } },
    axes: [{}, { label: '°C' }],
    hooks: { draw: [excursionHook(probe, breachAt, element)] },
  };
  const edges = bounds(band);
  for (const bound of edges) {
    series.push({ label: bound.name + ' ' + bound.celsius + ' °C', stroke: '#2e7d32', dash: [4, 4], width: 1,
      points: { show: false } });
  }
  if (edges.length === 2) {
    options.bands = [{ series: [2, 3], fill: BAND_FILL }]; // shaded between the upper and the lower bound
  }
  if (hasWindows(probe)) {
    for (const name of ['window min', 'window max']) {
      series.push({ label: name + ' °C', stroke: '#8a94a6', width: 1, dash: [2, 3], spanGaps: false,
        points: { show: false } });
    }
  }
  element.dataset.windows = String(hasWindows(probe));
  const columns = probeColumns(probe, band);
  element.dataset.points = String(probe.points.length);
  element.dataset.gaps = String((probe.gaps || []).length);
  element.dataset.excursions = String((probe.excursions || []).length);
  return new uPlot(options, columns, element);
}
