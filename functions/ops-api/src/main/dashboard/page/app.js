// The ops dashboard: sign in with a token, then what needs attention (open incidents, shipments on hold), a
// shipment's temperatures per probe, demand forecasts per SKU and location, KPIs by lane and dead letters by reason. Plain DOM, no framework; text from
// the API is only ever set as text (never parsed as HTML).

import { api, ApiError, claimsOf, forgetToken, keepToken, token } from './api.js';
import { drawForecast } from './forecast-plot.js';
import { drawProbe } from './temperature-plot.js';

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') {
      e.className = v;
    } else if (k.startsWith('data-')) {
      e.setAttribute(k, v);
    } else {
      e[k] = v;
    }
  }
  for (const c of children) {
    if (c !== null && c !== undefined) {
      e.append(c instanceof Node ? c : String(c));
    }
  }
  return e;
}

const time = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z') : '');

function say(text, isError) {
  const m = $('message');
  m.textContent = text || '';
  m.className = isError ? 'error' : '';
}

/** A panel's body when its route answers 404 (a route this deployment does not have yet) or fails. */
function unavailable(container, what, e) {
  container.replaceChildren(el('p', { class: 'unavailable' },
    e instanceof ApiError && e.status === 404 ? what + ': not available on this API.' : what + ': ' + e.message));
}

// ---- sign in

/** Whether the token carries ops.write (the API decides; this only hides buttons a reader cannot use). */
let writer = false;

async function signIn(jwt) {
  let claims;
  try {
    claims = claimsOf(jwt);
  } catch (e) {
    $('sign-in-error').textContent = e.message;
    return;
  }
  keepToken(jwt);
  try {
    await api('GET', '/health');
  } catch (e) {
    forgetToken();
    $('sign-in-error').textContent = 'The API refused the token: ' + e.message;
    return;
  }
  $('sign-in-error').textContent = '';
  const scopes = String(claims.scope || '');
  writer = /(^|[\s/])ops\.write(\s|$)/.test(scopes);
  $('who').textContent = (claims.username || claims.email || claims.sub || '?')
    + (writer ? ' (read and write)' : ' (read only)');
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('sign-out').hidden = false;
  await Promise.all([loadIncidents(), loadShipments(), loadForecasts(), loadKpis(), loadDeadLetters()]);
}

function signOut() {
  forgetToken();
  location.reload();
}

// ---- incidents

/** The incidents listed (open or acknowledged), by id. */
const incidents = new Map();

async function loadIncidents() {
  const body = $('incidents').tBodies[0];
  try {
    const [open, acknowledged] = await Promise.all([api('GET', '/incidents?status=OPEN&limit=100'),
      api('GET', '/incidents?status=ACKNOWLEDGED&limit=100')]);
    const items = open.items.concat(acknowledged.items);
    incidents.clear();
    items.forEach((i) => incidents.set(i.incidentId, i));
    body.replaceChildren(...items.map(incidentRow));
    $('incidents-empty').hidden = items.length > 0;
  } catch (e) {
    unavailable($('incidents-panel'), 'Incidents', e);
  }
}

function incidentRow(i) {
  const row = el('tr', { 'data-incident-id': i.incidentId, 'data-sscc': i.shipmentSscc });
  fillIncidentRow(row, i);
  return row;
}

function fillIncidentRow(row, i) {
  const actions = el('td', { class: 'actions' });
  if (i.status === 'OPEN') {
    actions.append(el('button', { type: 'button', class: 'acknowledge', onclick: () => act(row, i, 'acknowledge') },
      'Acknowledge'));
  }
  if (i.status !== 'RESOLVED') {
    actions.append(' ', el('button', { type: 'button', class: 'resolve', onclick: () => act(row, i, 'resolve') },
      'Resolve'));
  }
  row.setAttribute('data-status', i.status);
  row.replaceChildren(
    el('td', {}, el('a', { href: '#' + i.shipmentSscc, onclick: (ev) => { ev.preventDefault(); showShipment(i.shipmentSscc); } },
      i.shipmentSscc)),
    el('td', {}, i.kind), el('td', {}, i.severity), el('td', {}, time(i.openedAt)),
    el('td', { class: 'status status-' + i.status }, i.status), el('td', {}, i.summary || ''), actions);
}

async function act(row, incident, action) {
  row.querySelectorAll('button').forEach((b) => { b.disabled = true; });
  try {
    const after = await api('POST', '/incidents/' + encodeURIComponent(incident.incidentId) + '/' + action,
      action === 'resolve' ? { note: 'resolved from the dashboard' } : undefined);
    fillIncidentRow(row, after);
    incidents.set(after.incidentId, after);
    say('Incident ' + after.incidentId + ' is ' + after.status + '.');
    loadShipments();
  } catch (e) {
    row.querySelectorAll('button').forEach((b) => { b.disabled = false; });
    say(action + ' refused: ' + e.message, true);
  }
}

// ---- shipments

async function loadShipments() {
  const body = $('shipments').tBodies[0];
  try {
    const page = await api('GET', '/shipments?limit=100');
    body.replaceChildren(...page.items.map((s) => {
      const onHold = s.hold && s.hold.onHold;
      return el('tr', { class: 'selectable', 'data-sscc': s.sscc, onclick: () => showShipment(s.sscc) },
        el('td', {}, s.sscc), el('td', { class: 'status' }, s.status),
        el('td', {}, s.plan ? s.plan.productClass : ''),
        el('td', { class: onHold ? 'hold-on' : 'hold-off' }, onHold ? 'ON HOLD' : 'no'),
        el('td', { class: 'open-incidents' }, typeof s.openIncidents === 'number' ? String(s.openIncidents) : ''),
        el('td', {}, time(s.lastBreachAt)),
        el('td', {}, s.temperature ? s.temperature.celsius + ' °C' : ''));
    }));
    $('shipments-empty').hidden = page.items.length > 0;
  } catch (e) {
    unavailable($('shipments-panel'), 'Shipments', e);
  }
}

async function showShipment(sscc) {
  document.querySelectorAll('#shipments tbody tr').forEach((r) => r.classList.toggle('selected', r.dataset.sscc === sscc));
  const panel = $('shipment-panel');
  panel.hidden = false;
  panel.dataset.sscc = sscc;
  $('shipment-title').textContent = 'Shipment ' + sscc;
  $('shipment-summary').textContent = '';
  const plots = $('plots');
  plots.replaceChildren(el('p', {}, 'Loading temperatures…'));
  try {
    const s = await api('GET', '/shipments/' + encodeURIComponent(sscc));
    $('shipment-summary').textContent = s.status + (s.hold && s.hold.onHold ? ', ON HOLD since ' + time(s.hold.since) : '')
      + (s.plan ? ', ' + s.plan.productClass : '') + (s.lastBreachAt ? ', breach at ' + time(s.lastBreachAt) : '');
  } catch (e) {
    $('shipment-summary').textContent = e.message;
  }
  loadEvents(sscc);
  let t;
  try {
    t = await api('GET', '/shipments/' + encodeURIComponent(sscc) + '/temperatures');
  } catch (e) {
    unavailable(plots, 'Temperatures', e);
    return;
  }
  if (panel.dataset.sscc !== sscc) {
    return; // another shipment was selected meanwhile
  }
  plots.replaceChildren();
  const breachAt = t.breachAt; // on the readings' time line, as the cold-chain decision judged them
  plots.dataset.breachAt = breachAt || '';
  if (t.band) {
    plots.append(el('p', {}, 'Band ' + (t.band.minCelsius ?? '-∞') + ' to ' + (t.band.maxCelsius ?? '+∞') + ' °C'
      + (t.productClass ? ' (' + t.productClass + ')' : '') + (breachAt ? '; breach at ' + time(breachAt) : '')));
  }
  if (t.probes.length === 0) {
    plots.append(el('p', { class: 'empty' }, 'No temperature readings.'));
  }
  const width = Math.max(320, Math.min(1100, plots.clientWidth || 900));
  for (const probe of t.probes) {
    const chart = el('div', { class: 'chart', 'data-probe': probe.probe });
    const list = el('ul', { class: 'excursions' }, ...(probe.excursions || []).map((x) => el('li',
      { class: 'excursion excursion-' + x.side, 'data-from': x.from, 'data-to': x.to }, x.side + ' the band ' + time(x.from) + ' to ' + time(x.to)
        + ', peak ' + x.peakCelsius + ' °C')));
    plots.append(el('div', { class: 'probe' }, el('h3', {}, 'Probe ' + probe.probe + ': ' + probe.points.length
      + ' readings, ' + (probe.gaps || []).length + ' gaps, ' + (probe.excursions || []).length + ' excursions'),
    chart, list));
    drawProbe(chart, probe, t.band, breachAt, width);
  }
  if (t.truncated) {
    plots.append(el('p', { class: 'unavailable' }, 'Only the first readings are shown (the series was truncated).'));
  }
}

// ---- a shipment's events and their proofs

const READING = 'waybill.temperature.observed.v1';
/** Pages of history read for the events list (readings, shown in the plots, are left out of it). */
const EVENT_PAGES = 5;

async function loadEvents(sscc) {
  const body = $('events').querySelector('tbody');
  body.replaceChildren();
  $('events-empty').hidden = true;
  const items = [];
  let pageToken = null;
  try {
    for (let i = 0; i < EVENT_PAGES; i++) {
      const page = await api('GET', '/shipments/' + encodeURIComponent(sscc) + '/history?limit=100'
        + (pageToken ? '&pageToken=' + encodeURIComponent(pageToken) : ''));
      items.push(...page.items.filter((e) => e.type !== READING));
      pageToken = page.nextPageToken;
      if (!pageToken) {
        break;
      }
    }
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', { colSpan: 4, class: 'unavailable' }, 'Events: ' + e.message)));
    return;
  }
  if ($('shipment-panel').dataset.sscc !== sscc) {
    return; // another shipment was selected meanwhile
  }
  $('events-empty').hidden = items.length > 0;
  for (const e of items) {
    const result = el('td', { class: 'proof' });
    const verify = el('button', { type: 'button', class: 'verify' }, 'Verify');
    verify.addEventListener('click', () => verifyEvent(e, verify, result));
    body.append(el('tr', { 'data-event-id': e.eventId, 'data-source': e.source, 'data-type': e.type }, el('td', {}, time(e.eventTime)),
      el('td', {}, e.type), el('td', {}, e.eventId), el('td', {}, verify, result)));
  }
}

const short = (hex) => (hex && hex.length > 18 ? hex.slice(0, 10) + '…' + hex.slice(-6) : hex);

function where(p) {
  return 'root ' + short(p.root) + ', tx ' + short(p.tx) + ', block ' + p.block + ' (chain ' + p.chainId + ')';
}

/** Asks the API to check the event's proof against the chain now; shows what it said. */
async function verifyEvent(e, button, result) {
  button.disabled = true;
  result.textContent = ' checking…';
  result.className = 'proof';
  try {
    const p = await api('GET', '/events/' + encodeURIComponent(e.eventId) + '/proof?source='
      + encodeURIComponent(e.source));
    const c = p.check;
    result.dataset.verified = String(c.verified);
    if (c.verified) {
      result.className = 'proof proof-verified';
      result.textContent = ' Verified: ' + where(p) + ', ' + c.confirmations + ' confirmations';
    } else {
      const failed = [['eventUnaltered', 'the event was altered since it was anchored'],
        ['proofLeadsToRoot', 'the proof does not lead to the root'],
        ['rootAnchored', 'the registry does not hold the root in that block'],
        ['transactionIncluded', 'the transaction is not in that block']].filter(([k]) => !c[k]).map(([, t]) => t);
      result.className = 'proof proof-not-verified';
      result.textContent = ' Not verified: ' + failed.join('; ') + '. ' + where(p);
    }
    result.title = JSON.stringify(p, null, 2);
  } catch (err) {
    const type = err instanceof ApiError && err.problem && err.problem.type ? err.problem.type.split('/').pop() : '';
    result.dataset.verified = type || 'error';
    if (type === 'not-anchored') {
      result.className = 'proof proof-not-anchored';
      result.textContent = ' Not anchored yet (or not selected for anchoring).';
    } else if (type === 'anchoring-off') {
      result.className = 'proof proof-off';
      result.textContent = ' Anchoring is off in this stage.';
    } else if (err instanceof ApiError && err.status === 503 && err.problem && err.problem.proof) {
      result.className = 'proof proof-not-verified';
      result.textContent = ' The chain did not answer; stored proof (unchecked): ' + where(err.problem.proof);
    } else {
      result.className = 'proof error';
      result.textContent = ' ' + err.message;
    }
  } finally {
    button.disabled = false;
  }
}

// ---- demand forecasts

const units = (v) => (typeof v === 'number' ? (Math.round(v * 10) / 10).toString() : '');

async function loadForecasts() {
  const box = $('forecast-series');
  const location = $('forecast-location').value.trim();
  try {
    const page = await api('GET', '/forecasts?limit=100' + (location ? '&location=' + encodeURIComponent(location) : ''));
    if (page.items.length === 0) {
      box.replaceChildren(el('p', { class: 'empty' }, 'No demand series' + (location ? ' at ' + location : '') + '.'));
      return;
    }
    box.replaceChildren(el('table', { id: 'forecasts' }, el('thead', {}, el('tr', {}, ...['GTIN', 'Location',
      'Forecast from', 'Days', 'Model', 'Reorder point', 'Safety stock', 'Service level', 'MASE', 'Bias']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, ...page.items.map((s) => {
      const l = s.latest || {};
      const a = s.lastAccuracy || {};
      return el('tr', { class: 'selectable', 'data-series-id': s.seriesId, onclick: () => showForecast(s.seriesId) },
        el('td', {}, s.gtin), el('td', {}, s.locationGln), el('td', {}, l.firstDay || 'none yet'),
        el('td', {}, l.horizonDays ?? ''), el('td', {}, l.method || l.modelName || ''),
        el('td', { class: 'reorder-point' }, units(l.reorderPoint)), el('td', {}, units(l.safetyStock)),
        el('td', {}, typeof l.serviceLevel === 'number' ? Math.round(l.serviceLevel * 100) + ' %' : ''),
        el('td', {}, typeof a.mase === 'number' ? a.mase.toFixed(2) : ''),
        el('td', {}, typeof a.bias === 'number' ? a.bias.toFixed(1) : ''));
    }))));
  } catch (e) {
    unavailable(box, 'Demand forecasts', e);
  }
}

async function showForecast(seriesId) {
  document.querySelectorAll('#forecasts tbody tr').forEach((r) => r.classList.toggle('selected',
    r.dataset.seriesId === seriesId));
  const panel = $('forecast-detail');
  panel.hidden = false;
  panel.dataset.seriesId = seriesId;
  $('forecast-title').textContent = 'Series ' + seriesId;
  $('forecast-outcome').textContent = '';
  const now = $('forecast-now');
  now.hidden = !writer;
  now.onclick = () => forecastNow(seriesId);
  const plot = $('forecast-plot');
  plot.replaceChildren(el('p', {}, 'Loading…'));
  let d;
  try {
    d = await api('GET', '/forecasts/' + encodeURIComponent(seriesId));
  } catch (e) {
    $('forecast-summary').textContent = '';
    unavailable(plot, 'Forecast', e);
    return;
  }
  if (panel.dataset.seriesId !== seriesId) {
    return; // another series was selected meanwhile
  }
  const f = d.forecast;
  const r = f && f.reorder;
  $('forecast-summary').textContent = !f ? 'No forecast yet: ' + d.history.unitsPerDay.length + ' days of history.'
    : f.horizonDays + ' days from ' + f.firstDay + ' by ' + f.modelName + ' ' + f.modelVersion
      + (f.method ? ' (' + f.method + ')' : '') + (r ? '; reorder point ' + units(r.reorderPoint) + ' units, safety stock '
        + units(r.safetyStock) + ' units over a ' + r.leadTimeDays + '-day lead time at '
        + Math.round(r.serviceLevel * 100) + ' % service level' : '') + '.';
  $('forecast-accuracy').textContent = d.accuracy.length === 0 ? 'Not scored yet.'
    : 'Accuracy: ' + d.accuracy.map((a) => a.firstDay + ' MASE ' + (typeof a.mase === 'number' ? a.mase.toFixed(2) : '?')
      + ', bias ' + (typeof a.bias === 'number' ? a.bias.toFixed(1) : '?')).join('; ');
  plot.replaceChildren();
  drawForecast(plot, d, Math.max(320, Math.min(1100, plot.clientWidth || 900)));
}

async function forecastNow(seriesId) {
  const button = $('forecast-now');
  const outcome = $('forecast-outcome');
  button.disabled = true;
  outcome.className = '';
  outcome.textContent = 'forecasting…';
  try {
    const made = await api('POST', '/forecasts/' + encodeURIComponent(seriesId));
    outcome.textContent = 'Forecast from ' + made.forecast.firstDay + ' stored.';
    outcome.dataset.outcome = 'stored';
    await Promise.all([showForecast(seriesId), loadForecasts()]);
    $('forecast-outcome').textContent = 'Forecast from ' + made.forecast.firstDay + ' stored.';
  } catch (e) {
    outcome.className = 'error';
    outcome.dataset.outcome = e instanceof ApiError && e.problem && e.problem.type ? e.problem.type.split('/').pop()
      : 'error';
    outcome.textContent = 'Forecast now refused: ' + e.message;
  } finally {
    button.disabled = false;
  }
}

// ---- KPIs by lane

async function loadKpis() {
  const box = $('kpis');
  try {
    const k = await api('GET', '/kpis/lanes');
    const hours = (t, q) => (t && t[q] !== undefined && t[q] !== null ? Number(t[q]).toFixed(1) : '');
    box.replaceChildren(el('table', {}, el('thead', {}, el('tr', {}, ...['Origin', 'Destination', 'Shipments', 'Legs',
      'In transit', 'Unobserved', 'Transit p50 h', 'p90 h', 'p99 h'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...k.items.map((l) => el('tr', {}, el('td', {}, l.origin), el('td', {}, l.destination),
      el('td', {}, l.shipments), el('td', {}, l.legs), el('td', {}, l.inTransit), el('td', {}, l.unobserved),
      el('td', {}, hours(l.transitHours, 'p50')), el('td', {}, hours(l.transitHours, 'p90')),
      el('td', {}, hours(l.transitHours, 'p99')))))));
  } catch (e) {
    unavailable(box, 'KPIs by lane', e);
  }
}

// ---- dead letters

async function loadDeadLetters() {
  const box = $('dead-letters');
  const reason = $('dead-letter-reason').value.trim();
  try {
    const d = await api('GET', '/dead-letters' + (reason ? '?reason=' + encodeURIComponent(reason) : ''));
    const byReason = new Map();
    for (const item of d.items) {
      byReason.set(item.reason, (byReason.get(item.reason) || 0) + 1);
    }
    box.replaceChildren(
      el('p', {}, [...byReason].map(([r, n]) => r + ': ' + n).join(', ') || 'No dead letters.'),
      el('table', {}, el('thead', {}, el('tr', {}, ...['Reason', 'Detail', 'Adapter', 'Origin', 'Dead-lettered',
        'Status', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...d.items.map(deadLetterRow))));
  } catch (e) {
    unavailable(box, 'Dead letters', e);
  }
}

function deadLetterRow(item) {
  const outcome = el('span', { class: 'outcome' });
  const replay = async (dryRun) => {
    try {
      const r = await api('POST', '/dead-letters/' + encodeURIComponent(item.id) + '/replay', { dryRun });
      outcome.textContent = (r.dryRun ? 'dry run: ' : 'replayed: ') + r.items.map((i) => i.outcome).join(', ');
      if (!dryRun) {
        loadDeadLetters();
      }
    } catch (e) {
      outcome.textContent = e.message;
      outcome.className = 'outcome error';
    }
  };
  return el('tr', { 'data-dead-letter-id': item.id }, el('td', {}, item.reason), el('td', {}, item.detail || ''),
    el('td', {}, item.adapter || ''), el('td', {}, item.origin || ''), el('td', {}, time(item.deadLetteredAt)),
    el('td', {}, item.status || ''),
    el('td', {}, el('button', { type: 'button', onclick: () => replay(true) }, 'Dry run'), ' ',
      el('button', { type: 'button', onclick: () => replay(false) }, 'Replay'), ' ', outcome));
}

// ---- start

$('sign-in-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  signIn($('token').value.trim());
});
$('sign-out').addEventListener('click', signOut);
$('forecast-filter').addEventListener('submit', (ev) => {
  ev.preventDefault();
  loadForecasts();
});
$('dead-letter-filter').addEventListener('submit', (ev) => {
  ev.preventDefault();
  loadDeadLetters();
});
if (token()) {
  signIn(token());
}
