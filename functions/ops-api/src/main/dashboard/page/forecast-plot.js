// One demand series as uPlot draws it, from GET /forecasts/{seriesId}:
//   the daily history (units that left the location) as a line;
//   the latest forecast's mean as a dashed line from its first day;
//   the forecast's 10-90 % interval (the quantiles "0.1" and "0.9", DeepAR's keys; the lowest and highest keys when
//   those two are missing) as two faint series with the space between them shaded (uPlot's bands, as the
//   temperature plot shades its product band).
// What was drawn is recorded on the plot's element (data-history-days, data-forecast-days, data-band, and
// data-band-pixel: the canvas colour read back inside the band on its middle day, so a test sees the shading).

import uPlot from './uPlot.esm.js';

const BAND_FILL = 'rgba(31, 95, 191, 0.16)';
const DAY = 86400;

const daySeconds = (isoDay) => Date.parse(isoDay + 'T00:00:00Z') / 1000;

/** The quantile keys the band spans, [lower, upper], or null when fewer than two quantiles came back. */
export function bandKeys(quantiles) {
  const keys = Object.keys(quantiles || {}).sort((a, b) => Number(a) - Number(b));
  if (keys.length < 2) {
    return null;
  }
  const lower = keys.includes('0.1') ? '0.1' : keys[0];
  const upper = keys.includes('0.9') ? '0.9' : keys[keys.length - 1];
  return lower === upper ? null : [lower, upper];
}

/**
 * The plot's columns: x in epoch seconds (one per day, history then forecast; a forecast day that is also a history
 * day shares its x), the history (null on days after it), the forecast mean, and the band's upper and lower edges
 * (null on days before the forecast; the band columns only when there is a band).
 */
export function forecastColumns(detail) {
  const byDay = new Map();
  const row = (x) => {
    if (!byDay.has(x)) {
      byDay.set(x, [x, null, null, null, null]);
    }
    return byDay.get(x);
  };
  const h = detail.history;
  if (h) {
    const first = daySeconds(h.firstDay);
    h.unitsPerDay.forEach((v, i) => { row(first + i * DAY)[1] = v; });
  }
  const f = detail.forecast;
  const band = f ? bandKeys(f.quantiles) : null;
  if (f) {
    const first = daySeconds(f.firstDay);
    f.mean.forEach((v, i) => {
      const r = row(first + i * DAY);
      r[2] = v;
      if (band) {
        r[3] = f.quantiles[band[1]][i];
        r[4] = f.quantiles[band[0]][i];
      }
    });
  }
  const rows = [...byDay.values()].sort((a, b) => a[0] - b[0]);
  const columns = [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])];
  if (band) {
    columns.push(rows.map((r) => r[3]), rows.map((r) => r[4]));
  }
  return columns;
}

/** Reads the canvas back inside the band (85 % of the way up from the lower edge, on the middle forecast day). */
function bandPixelHook(element) {
  return (u) => {
    const [xs, , , upper, lower] = u.data;
    if (!upper) {
      return;
    }
    const days = [];
    xs.forEach((x, i) => {
      if (typeof upper[i] === 'number' && typeof lower[i] === 'number') {
        days.push(i);
      }
    });
    if (days.length === 0) {
      return;
    }
    const i = days[Math.floor(days.length / 2)];
    const value = lower[i] + 0.85 * (upper[i] - lower[i]);
    const x = Math.round(u.valToPos(xs[i], 'x', true));
    const y = Math.round(u.valToPos(value, 'y', true));
    const p = u.ctx.getImageData(x, y, 1, 1).data;
    element.dataset.bandPixel = [p[0], p[1], p[2], p[3]].join(',');
  };
}

/** Draws one series into element (its data attributes say what was drawn); returns the uPlot instance. */
export function drawForecast(element, detail, width) {
  const f = detail.forecast;
  const band = f ? bandKeys(f.quantiles) : null;
  const series = [
    {},
    { label: 'history (units/day)', stroke: '#1d2430', width: 1.5 },
    { label: 'forecast mean', stroke: '#1f5fbf', width: 1.5, dash: [6, 4] },
  ];
  const options = {
    width,
    height: 260,
    series,
    scales: { x: { time: true } },
    axes: [{}, { label: 'units/day' }],
  };
  if (band) {
    const pct = (k) => Math.round(Number(k) * 100);
    for (const [name, key] of [['upper', band[1]], ['lower', band[0]]]) {
      series.push({ label: name + ' ' + pct(key) + ' %', stroke: 'rgba(31, 95, 191, 0.5)', width: 1,
        points: { show: false } });
    }
    options.bands = [{ series: [3, 4], fill: BAND_FILL }]; // shaded between the upper and the lower quantile
    options.hooks = { draw: [bandPixelHook(element)] };
  }
  element.dataset.historyDays = String(detail.history ? detail.history.unitsPerDay.length : 0);
  element.dataset.forecastDays = String(f ? f.mean.length : 0);
  element.dataset.band = band ? band.join('-') : '';
  return new uPlot(options, forecastColumns(detail), element);
}
