// web/static/guide.js -- the Guide's page: fills the controls from dlpg's axis views, keeps the
// chart's arguments in the address (query string = dlpg.chart's arguments), and draws what
// /api/chart, /api/series and /api/series_query answer. No logic of dlpg's is repeated here: a
// bad argument is dlpg's to refuse, and its message is shown next to the control at fault.
'use strict';

const ARGS = ['x_axis', 'y_axis', 'filters', 'agg', 'group_by', 'series_name', 'error_bars'];
const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  kids.forEach(k => e.append(k));
  return e;
};
let filterAxes = [];          // [{name, label, kind}] of dlpg.axis_values' axes, in dlpg's order

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw body.error || {message: r.status + ' ' + r.statusText};
  return body;
}

// ---- the controls -------------------------------------------------------------------------
async function init() {
  const [xs, ys, defs, values] = await Promise.all(
    ['x_axes', 'y_axes', 'axis_defs', 'axis_values'].map(n => getJSON('/api/' + n)));
  const xSel = $('#x_axis'), ySel = $('#y_axis'), gSel = $('#group_by');
  xs.forEach(a => xSel.append(el('option', {value: a.name, textContent: a.label, title: a.description})));
  ys.forEach(a => ySel.append(el('option', {value: a.name, textContent: a.label,
                                           title: a.unit + ', ' + a.better + ' is better'})));
  xSel.value = xs.some(a => a.name === 'model') ? 'model' : xSel.value;
  ySel.value = ys.some(a => a.name === 'throughput') ? 'throughput' : ySel.value;
  const help = () => {
    const x = xs.find(a => a.name === xSel.value), y = ys.find(a => a.name === ySel.value);
    $('#x_axis-help').textContent = x ? x.description : '';
    $('#y_axis-help').textContent = y ? `${y.unit}; ${y.better} is better` : '';
  };
  xSel.addEventListener('change', help);
  ySel.addEventListener('change', help);
  help();

  // one fieldset of checkboxes per axis of dlpg.axis_values, in dlpg.axis_defs' order
  const byAxis = new Map();
  values.forEach(v => (byAxis.get(v.axis) || byAxis.set(v.axis, []).get(v.axis)).push(v));
  filterAxes = defs.filter(d => byAxis.has(d.name));
  const list = $('#filter-list');
  for (const d of filterAxes) {
    const fs = el('fieldset', {className: 'filter control'});
    fs.dataset.param = 'filters.' + d.name;
    fs.append(el('legend', {textContent: d.label, title: d.description || ''}));
    const box = el('div', {className: 'values'});
    byAxis.get(d.name).forEach((v, i) => {
      const id = `f-${d.name}-${i}`;
      const cb = el('input', {type: 'checkbox', id, value: v.value});
      cb.dataset.axis = d.name;
      box.append(el('div', {className: 'value'}, cb,
                    el('label', {htmlFor: id, textContent: v.label},
                       el('span', {className: 'count', textContent: ` ${v.n}`}))));
    });
    fs.append(box, el('p', {className: 'error', role: 'alert'}));
    fs.lastChild.dataset.errorFor = 'filters.' + d.name;
    list.append(fs);
    gSel.append(el('option', {value: d.name, textContent: d.label}));
  }
  list.addEventListener('change', writeFilters);
  $('#scaling').addEventListener('change', writeFilters);
  $('#batch_size').addEventListener('input', writeFilters);
  $('#filters').addEventListener('input', () => { const f = parseFilters(); if (f) readFilters(f); });
  $('#group_by').addEventListener('change', () => { $('#series_name').disabled = !!$('#group_by').value; });
  $('#guide').addEventListener('submit', ev => { ev.preventDefault(); draw(argsFromControls(), true); });
  window.addEventListener('popstate', () => fromAddress());
  fromAddress();
}

function parseFilters() {
  try {
    const f = JSON.parse($('#filters').value || '{}');
    return f && typeof f === 'object' && !Array.isArray(f) ? f : null;
  } catch (e) { return null; }
}

// ticks -> the filters JSON (keys the controls do not show, e.g. run_after, are kept)
function writeFilters() {
  const old = parseFilters() || {}, f = {};
  const shown = new Set(filterAxes.map(a => a.name).concat(['scaling', 'batch_size']));
  for (const a of filterAxes) {
    const vals = [...document.querySelectorAll(`input[data-axis="${a.name}"]:checked`)].map(c => c.value);
    if (vals.length) f[a.name] = vals.length === 1 ? vals[0] : vals;
  }
  if ($('#scaling').value) f.scaling = $('#scaling').value;
  const bs = $('#batch_size').value.trim();
  if (bs) f.batch_size = /^\d+$/.test(bs) ? Number(bs) : bs;
  Object.keys(old).filter(k => !shown.has(k)).forEach(k => { f[k] = old[k]; });
  $('#filters').value = JSON.stringify(f);
}

// the filters JSON -> ticks (values dlpg would match by label or case are left to dlpg)
function readFilters(f) {
  for (const cb of document.querySelectorAll('input[data-axis]')) {
    const v = f[cb.dataset.axis];
    const vals = v === undefined ? [] : Array.isArray(v) ? v : [v];
    cb.checked = vals.some(x => String(x).toLowerCase() === cb.value.toLowerCase());
  }
  $('#scaling').value = typeof f.scaling === 'string' && ['weak', 'strong'].includes(f.scaling) ? f.scaling : '';
  $('#batch_size').value = f.batch_size === undefined ? '' : String(f.batch_size);
}

function argsFromControls() {
  const a = new URLSearchParams();
  a.set('x_axis', $('#x_axis').value);
  a.set('y_axis', $('#y_axis').value);
  const f = $('#filters').value.trim();
  if (f && f !== '{}') a.set('filters', f);
  if ($('#agg').value) a.set('agg', $('#agg').value);
  if ($('#group_by').value) a.set('group_by', $('#group_by').value);
  else if ($('#series_name').value.trim()) a.set('series_name', $('#series_name').value.trim());
  if ($('#error_bars').checked) a.set('error_bars', 'true');
  return a;
}

// the address -> controls, and draw at once when it names a chart
function fromAddress() {
  const q = new URLSearchParams(location.search);
  const a = new URLSearchParams();
  for (const k of ARGS) if (q.has(k)) a.set(k, q.get(k));
  if (![...a.keys()].length) { document.body.dataset.state = 'ready'; return; }
  const setSel = (id, v) => { if (v !== null && [...$('#' + id).options].some(o => o.value === v)) $('#' + id).value = v; };
  setSel('x_axis', a.get('x_axis'));
  setSel('y_axis', a.get('y_axis'));
  setSel('agg', a.get('agg') || '');
  setSel('group_by', a.get('group_by') || '');
  $('#series_name').value = a.get('series_name') || '';
  $('#series_name').disabled = !!$('#group_by').value;
  $('#error_bars').checked = a.get('error_bars') === 'true';
  $('#filters').value = a.get('filters') || '{}';
  const f = parseFilters();
  if (f) readFilters(f);
  $('#x_axis').dispatchEvent(new Event('change'));
  draw(a, false);   // exactly the address's arguments, even those no control can show
}

// ---- drawing --------------------------------------------------------------------------------
function showError(err) {
  const param = err.param || '';
  let slot = document.querySelector(`[data-error-for="${CSS.escape(param)}"]`);
  if (!slot && param.startsWith('filters.')) slot = document.querySelector('[data-error-for="filters"]');
  if (!slot) slot = document.querySelector('[data-error-for=""]');
  slot.textContent = '';
  slot.append(el('strong', {textContent: err.sqlstate ? `${err.sqlstate}: ` : ''}), err.message || '');
  for (const extra of [err.detail, err.hint]) if (extra) slot.append(el('br'), extra);
  slot.closest('.control, .draw-row')?.classList.add('invalid');
  slot.scrollIntoView({block: 'nearest'});
}

function clearErrors() {
  document.querySelectorAll('.error').forEach(e => { e.textContent = ''; });
  document.querySelectorAll('.invalid').forEach(e => e.classList.remove('invalid'));
}

async function draw(args, push) {
  const qs = args.toString();
  if (push && location.search !== '?' + qs) history.pushState(null, '', '?' + qs);
  document.body.dataset.state = 'loading';
  clearErrors();
  const chartArgs = new URLSearchParams(args);
  chartArgs.set('format', 'vega-lite');
  const seriesArgs = new URLSearchParams(args);
  seriesArgs.delete('error_bars');            // dlpg.chart's only
  try {
    const [spec, series, query] = await Promise.all([
      getJSON('/api/chart?' + chartArgs), getJSON('/api/series?' + seriesArgs),
      getJSON('/api/series_query?' + seriesArgs)]);
    await vegaEmbed('#chart', spec, {renderer: 'svg', actions: false});
    showNotices(series.notices);
    showTable(series.rows);
    $('#sql pre').textContent = query.sql;
    $('#dl-svg').href = '/api/chart?' + new URLSearchParams([...args, ['format', 'svg']]);
    $('#dl-vl').href = '/api/chart?' + chartArgs;
    $('#dl-csv').href = '/api/series.csv?' + seriesArgs;
    $('#share').href = '?' + qs;
    ['#downloads', '#points', '#sql'].forEach(s => { $(s).hidden = false; });
    document.body.dataset.state = 'drawn';
  } catch (err) {
    showError(err);
    $('#chart').replaceChildren(el('p', {className: 'help', textContent: 'No chart: see the message above.'}));
    showNotices([]);
    ['#downloads', '#points', '#sql'].forEach(s => { $(s).hidden = true; });
    document.body.dataset.state = 'error';
  }
  // for tests and scripts: how many draws have finished
  document.body.dataset.draws = String(Number(document.body.dataset.draws || 0) + 1);
}

function showNotices(notices) {
  $('#notices').replaceChildren(...notices.map(n => el('p', {className: 'notice'},
    el('strong', {textContent: 'Note: '}), n.message, ...(n.detail ? [el('br'), n.detail] : []),
    ...(n.hint ? [el('br'), n.hint] : []))));
}

function showTable(rows) {
  $('#points tbody').replaceChildren(...rows.map(r => {
    const tr = el('tr', {className: r.configs > 1 ? 'mixed' : ''},
      el('td', {textContent: r.series}), el('td', {textContent: r.x}),
      el('td', {className: 'num', textContent: r.y === null ? '' : String(r.y)}),
      el('td', {className: 'num', textContent: String(r.n)}),
      el('td', {className: 'num', textContent: String(r.configs)}),
      el('td', {textContent: (r.mixed || []).join(', ')}));
    if (r.configs > 1) tr.title = `${r.configs} configurations, differing in ${r.mixed.join(', ')}`;
    return tr;
  }));
}

window.addEventListener('DOMContentLoaded', () => init().catch(err => {
  showError(err);
  document.body.dataset.state = 'error';
}));
