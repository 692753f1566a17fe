// Bittensor.Orleans explorer: a static page over the silo's REST API (/api). No framework, no CDN.
// Every value from the network enters the DOM as text (createTextNode / textContent), never as HTML.
'use strict';

const POLL_MS = 2000;
const CHART_EPOCHS = 20;
const RAO_PER_TAO = 1_000_000_000n;
const U16_MAX = 65535;

// ---------------------------------------------------------------- data

/** JSON with exact integers: amounts in rao pass 2^53, so unsafe integers become BigInt (from the source text). */
function parseJson(text) {
  return JSON.parse(text, (_key, value, context) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context && /^\d+$/.test(context.source)
      ? BigInt(context.source) : value);
}

class ApiError extends Error {
  constructor(status, title) { super(title); this.status = status; }
}

async function api(path) {
  const response = await fetch('/api' + path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) {
    let title = response.statusText;
    try {
      const problem = parseJson(text);
      title = [problem.title, problem.detail].filter(Boolean).join(': ') || title;
    } catch { /* not problem+json */ }
    throw new ApiError(response.status, title);
  }
  return parseJson(text);
}

/** Recorded epochs never change: each is fetched once. */
const epochCache = new Map();
function epochRecord(netuid, index) {
  const key = `${netuid}/${index}`;
  if (!epochCache.has(key)) {
    const pending = api(`/subnets/${netuid}/epochs/${index}`);
    pending.catch(() => epochCache.delete(key));
    epochCache.set(key, pending);
  }
  return epochCache.get(key);
}

// ---------------------------------------------------------------- formatting

const big = v => typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v ?? 0)));
const group = s => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** rao → "1,234.5678" (truncated to `digits` decimals; the exact value is in the element's title). */
function units(rao, digits = 4) {
  const r = big(rao);
  const whole = group((r / RAO_PER_TAO).toString());
  const fraction = (r % RAO_PER_TAO).toString().padStart(9, '0').slice(0, digits);
  return digits > 0 ? `${whole}.${fraction}` : whole;
}
function exact(rao) {
  const r = big(rao);
  return `${group((r / RAO_PER_TAO).toString())}.${(r % RAO_PER_TAO).toString().padStart(9, '0')} (${group(r.toString())} rao)`;
}
const tao = (rao, digits) => span('amount', `${units(rao, digits)} τ`, exact(rao));
const alpha = (rao, digits) => span('amount', `${units(rao, digits)} α`, exact(rao));
const u16 = v => span('num', (Number(v) / U16_MAX).toFixed(4), `${v} / 65535`);
const int = v => group(big(v).toString());
const price = p => p >= 0.001 || p === 0 ? p.toFixed(6) : p.toExponential(3);
const percent = x => `${(100 * x).toFixed(2)} %`;
const shortAddress = a => a && a.length > 14 ? `${a.slice(0, 6)}…${a.slice(-4)}` : (a ?? '');

// ---------------------------------------------------------------- DOM (text only)

/** el('td', {class: 'x', title: 'y'}, child…): strings become text nodes; null children are skipped. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'style') Object.assign(node.style, value); // CSSOM, so a strict CSP allows it
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}
function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const span = (cls, text, title) => el('span', { class: cls, title }, text);
const link = (href, text, title) => el('a', { href, title }, text);
const accountLink = a => a ? link(`#/account/${encodeURIComponent(a)}`, shortAddress(a), a) : '—';
const hotkeyLink = a => a ? link(`#/hotkey/${encodeURIComponent(a)}`, shortAddress(a), a) : '—';
const subnetLink = n => link(`#/subnet/${encodeURIComponent(n)}`, `SN ${n}`);
const epochLink = (n, i, text) => link(`#/subnet/${encodeURIComponent(n)}/epoch/${encodeURIComponent(i)}`, text ?? `#${i}`);
const yesNo = b => span(b ? 'yes' : 'no', b ? 'yes' : 'no');

function section(title, ...children) {
  return el('section', { class: 'panel' }, el('h2', null, title), ...children);
}

/** Cards: [[label, value, hint?], …]. */
function cards(items, testid) {
  return el('div', { class: 'cards', 'data-testid': testid },
    items.map(([label, value, hint]) => el('div', { class: 'card' },
      el('div', { class: 'label' }, label), el('div', { class: 'value' }, value), hint ? el('div', { class: 'hint' }, hint) : null)));
}

/** A table from column definitions {key, label, cell(row), sort(row)?, numeric?}; sortable columns when `sorting` is given. */
function table(columns, rows, { id, sorting, empty = 'nothing yet' } = {}) {
  let ordered = rows;
  if (sorting) {
    const column = columns.find(c => c.key === sorting.key && c.sort);
    if (column) {
      const direction = sorting.descending ? -1 : 1;
      ordered = [...rows].sort((a, b) => {
        const x = column.sort(a), y = column.sort(b);
        return (x < y ? -1 : x > y ? 1 : 0) * direction || (a.uid ?? 0) - (b.uid ?? 0);
      });
    }
  }
  const header = columns.map(c => {
    if (!sorting || !c.sort) return el('th', { class: c.numeric ? 'numeric' : null, title: c.title }, c.label);
    const active = sorting.key === c.key;
    return el('th', { class: c.numeric ? 'numeric' : null, title: c.title, 'aria-sort': active ? (sorting.descending ? 'descending' : 'ascending') : null },
      el('button', {
        type: 'button', class: 'sort', 'data-sort': c.key,
        onclick: () => { sorting.descending = active ? !sorting.descending : true; sorting.key = c.key; refresh(); },
      }, c.label, active ? (sorting.descending ? ' ▼' : ' ▲') : ''));
  });
  const body = ordered.length === 0
    ? [el('tr', null, el('td', { colspan: columns.length, class: 'empty' }, empty))]
    : ordered.map(row => el('tr', null, columns.map(c => el('td', { class: c.numeric ? 'numeric' : null }, c.cell(row)))));
  return el('div', { class: 'table-wrap' }, el('table', { id }, el('thead', null, el('tr', null, header)), el('tbody', null, body)));
}

/** Key/value table of a flat object (hyperparameters, epoch parameters). */
function keyValues(object, id) {
  const entries = Object.entries(object ?? {});
  return el('div', { class: 'table-wrap' }, el('table', { id, class: 'kv' }, el('tbody', null,
    entries.map(([k, v]) => el('tr', null, el('th', null, k), el('td', null, v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)))))));
}

// ---------------------------------------------------------------- charts (inline SVG)

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const colorOf = uid => PALETTE[uid % PALETTE.length];

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/**
 * A line chart of u16 proportions over epochs: `series` = [{name, uid, points: [[epochIndex, u16], …]}].
 * The y axis is 0..1 (the value ÷ 65535).
 */
function lineChart(title, series, testid) {
  const W = 560, H = 220, L = 44, R = 12, T = 14, B = 28;
  const xs = series.flatMap(s => s.points.map(p => p[0]));
  const figure = el('figure', { class: 'chart', 'data-testid': testid }, el('figcaption', null, title));
  if (xs.length === 0) return append(figure, [el('p', { class: 'empty' }, 'no recorded epochs yet')]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const sx = x => L + (x1 === x0 ? (W - L - R) / 2 : (x - x0) / (x1 - x0) * (W - L - R));
  const sy = v => T + (1 - v / U16_MAX) * (H - T - B);
  const grid = [0, 0.25, 0.5, 0.75, 1].map(f => [
    svg('line', { x1: L, x2: W - R, y1: sy(f * U16_MAX), y2: sy(f * U16_MAX), class: 'grid' }),
    svg('text', { x: L - 6, y: sy(f * U16_MAX) + 4, class: 'tick', 'text-anchor': 'end' }, f.toFixed(2)),
  ]);
  const ticks = [...new Set([x0, Math.round((x0 + x1) / 2), x1])].map(x =>
    svg('text', { x: sx(x), y: H - 8, class: 'tick', 'text-anchor': x === x0 ? 'start' : x === x1 ? 'end' : 'middle' }, `epoch ${x}`));
  const lines = series.map(s => {
    const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    return svg('g', { class: 'series' },
      svg('path', { d, stroke: colorOf(s.uid), fill: 'none', 'stroke-width': 2 }, svg('title', null, s.name)),
      s.points.map(p => svg('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: colorOf(s.uid) },
        svg('title', null, `${s.name} · epoch ${p[0]} · ${(p[1] / U16_MAX).toFixed(4)}`))));
  });
  const legend = el('div', { class: 'legend' }, series.map(s =>
    el('span', null, el('i', { style: { background: colorOf(s.uid) } }), s.name)));
  return append(figure, [svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title }, grid, ticks, lines), legend]);
}

// ---------------------------------------------------------------- views

const state = { chain: null, metagraphSort: { key: 'uid', descending: false } };

async function overviewView() {
  const [chain, subnets] = await Promise.all([api('/chain'), api('/subnets')]);
  return el('div', null,
    el('h1', null, 'Network overview'),
    chainCards(chain),
    section('Subnets', subnetsTable(subnets)));
}

function chainCards(c) {
  const toHalving = big(c.nextHalvingIssuance) - big(c.totalIssuance);
  const blocks = big(c.blockEmission) > 0n ? toHalving / big(c.blockEmission) : null;
  const eta = blocks === null ? 'no emission' : `≈ ${int(blocks)} blocks (${duration(Number(blocks) * c.blockTimeSeconds)})`;
  return cards([
    ['Block', el('span', { id: 'chain-block', 'data-testid': 'chain-block' }, int(c.block)), `${c.blockTimeSeconds} s per block · ${c.chainId}`],
    ['Total issuance', tao(c.totalIssuance, 2)],
    ['Emission per block', tao(c.blockEmission, 6), `${c.halvings} halving${c.halvings === 1 ? '' : 's'} so far`],
    ['Next halving at issuance', tao(c.nextHalvingIssuance, 0), eta],
    ['Subnets', String(c.subnets), el('span', null, 'lock cost ', tao(c.networkLockCost, 2))],
    ['Genesis reserve', tao(c.genesisReserve, 2), c.faucet ? 'development faucet on' : 'no faucet'],
  ], 'chain-cards');
}

function duration(seconds) {
  if (!Number.isFinite(seconds)) return '—';
  const units = [[86400 * 365, 'y'], [86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']];
  for (const [size, name] of units) if (seconds >= size) return `${(seconds / size).toFixed(1)} ${name}`;
  return `${seconds.toFixed(1)} s`;
}

function subnetsTable(subnets) {
  const totalMoving = subnets.reduce((sum, s) => sum + s.pool.movingPrice, 0);
  const share = s => totalMoving > 0 ? s.pool.movingPrice / totalMoving : 1 / subnets.length;
  return table([
    { key: 'netuid', label: 'Subnet', cell: s => subnetLink(s.netuid) },
    { key: 'task', label: 'Task', cell: s => s.hyperparameters.task || '—' },
    { key: 'price', label: 'Price (τ/α)', numeric: true, cell: s => price(s.pool.price) },
    { key: 'poolTao', label: 'Pool τ', numeric: true, cell: s => tao(s.pool.tao, 2) },
    { key: 'poolAlpha', label: 'Pool α', numeric: true, cell: s => alpha(s.pool.alpha, 2) },
    { key: 'share', label: 'Emission share', numeric: true, title: 'moving price ÷ Σ moving prices',
      cell: s => el('span', { class: 'share' }, el('i', { style: { width: `${(60 * share(s)).toFixed(1)}px` } }), percent(share(s))) },
    { key: 'n', label: 'Neurons', numeric: true, cell: s => String(s.n) },
    { key: 'tempo', label: 'Tempo', numeric: true, cell: s => int(s.hyperparameters.tempo) },
    { key: 'next', label: 'Next epoch', numeric: true, cell: s => `#${int(s.nextEpochBlock)}` },
    { key: 'owner', label: 'Owner', cell: s => accountLink(s.ownerColdkey) },
  ], subnets, { id: 'subnets', empty: 'no subnets yet' });
}

async function subnetsView() {
  return el('div', null, el('h1', null, 'Subnets'), section('All subnets', subnetsTable(await api('/subnets'))));
}

async function subnetView(netuid) {
  const [subnet, metagraph, epochs] = await Promise.all([
    api(`/subnets/${netuid}`), api(`/subnets/${netuid}/metagraph`), api(`/subnets/${netuid}/epochs?limit=${CHART_EPOCHS}`)]);
  const records = await Promise.all(epochs.map(e => epochRecord(netuid, e.index)));
  const names = new Map(metagraph.neurons.map(n => [n.uid, n.axon?.name ? `${n.uid} ${n.axon.name}` : `${n.uid} ${shortAddress(n.hotkey)}`]));
  const series = field => metagraph.neurons.map(n => ({
    uid: n.uid, name: names.get(n.uid),
    points: records.filter(r => n.uid < (r.outputs[field]?.length ?? 0)).map(r => [Number(r.index), r.outputs[field][n.uid]]).sort((a, b) => a[0] - b[0]),
  })).filter(s => s.points.length > 0);
  const s = subnet;
  return el('div', null,
    el('h1', null, `Subnet ${s.netuid}`, s.hyperparameters.task ? el('span', { class: 'tag' }, s.hyperparameters.task) : null),
    cards([
      ['Price', `${price(s.pool.price)} τ/α`, `moving price ${price(s.pool.movingPrice)} (sets the emission share)`],
      ['Pool', tao(s.pool.tao, 2), el('span', null, alpha(s.pool.alpha, 2),
        s.pool.quoteWeight !== undefined ? ` · TAO weight ${(Number(s.pool.quoteWeight) / 1e18).toFixed(4)}` : '')],
      ['Root dividends', alpha(big(s.pendingRootAlpha ?? 0), 4), el('span', null, 'claimable ', alpha(s.rootClaimableAlpha ?? 0, 4))],
      ['Neurons', String(s.n), `max ${s.hyperparameters.maxAllowedUids}`],
      ['Epoch', `#${int(s.epochIndex)}`, `last at block ${int(s.lastEpochBlock)} · next ${int(s.nextEpochBlock)}`],
      ['Pending emission', alpha(big(s.pendingServer) + big(s.pendingValidator) + big(s.pendingOwnerCut), 4),
        el('span', null, 'owner cut ', alpha(s.pendingOwnerCut, 4))],
      ['Alpha issued', alpha(s.alphaIssued, 2), el('span', null, 'staked ', alpha(s.alphaStaked, 2))],
      ['Registration burn', tao(s.burn, 4), el('span', null, 'lock ', tao(s.lock, 2))],
      ['Owner', accountLink(s.ownerColdkey), el('span', null, 'hotkey ', hotkeyLink(s.ownerHotkey))],
    ], 'subnet-cards'),
    section(`Metagraph at block ${int(metagraph.block)}`, metagraphTable(metagraph.neurons)),
    el('div', { class: 'charts' },
      lineChart('Incentive over the last epochs', series('incentive'), 'chart-incentive'),
      lineChart('Dividends over the last epochs', series('dividends'), 'chart-dividends')),
    section('Recent epochs', epochsTable(netuid, epochs)),
    section('Hyperparameters', keyValues(s.hyperparameters, 'hyperparameters')));
}

function metagraphTable(neurons) {
  return table([
    { key: 'uid', label: 'UID', numeric: true, sort: n => n.uid, cell: n => String(n.uid) },
    { key: 'hotkey', label: 'Hotkey', cell: n => hotkeyLink(n.hotkey) },
    { key: 'coldkey', label: 'Coldkey', cell: n => accountLink(n.coldkey) },
    { key: 'name', label: 'Axon', cell: n => n.axon?.name || (n.axon ? `${n.axon.ip}:${n.axon.port}` : '—') },
    { key: 'stake', label: 'Stake', numeric: true, sort: n => big(n.stake), cell: n => alpha(n.stake, 4) },
    { key: 'tao_stake', label: 'Root τ', numeric: true, title: 'TAO staked on root, weighted by tao_weight in the stake weight',
      sort: n => big(n.tao_stake ?? 0), cell: n => tao(n.tao_stake ?? 0, 4) },
    { key: 'stake_weight', label: 'Stake wt', numeric: true, sort: n => n.stake_weight, cell: n => u16(n.stake_weight) },
    { key: 'incentive', label: 'Incentive', numeric: true, sort: n => n.incentive, cell: n => u16(n.incentive) },
    { key: 'dividends', label: 'Dividends', numeric: true, sort: n => n.dividends, cell: n => u16(n.dividends) },
    { key: 'consensus', label: 'Consensus', numeric: true, sort: n => n.consensus, cell: n => u16(n.consensus) },
    { key: 'validator_trust', label: 'V-trust', numeric: true, sort: n => n.validator_trust, cell: n => u16(n.validator_trust) },
    { key: 'emission', label: 'Emission', numeric: true, sort: n => big(n.emission), cell: n => alpha(n.emission, 4) },
    { key: 'validator_permit', label: 'Permit', sort: n => n.validator_permit ? 1 : 0, cell: n => yesNo(n.validator_permit) },
    { key: 'active', label: 'Active', sort: n => n.active ? 1 : 0, cell: n => yesNo(n.active) },
    { key: 'last_update', label: 'Updated', numeric: true, sort: n => big(n.last_update), cell: n => int(n.last_update) },
  ], neurons, { id: 'metagraph', sorting: state.metagraphSort, empty: 'no neurons registered' });
}

function epochsTable(netuid, epochs) {
  return table([
    { key: 'index', label: 'Epoch', cell: e => epochLink(netuid, e.index) },
    { key: 'block', label: 'Block', numeric: true, cell: e => int(e.block) },
    { key: 'rao', label: 'Emission', numeric: true, cell: e => alpha(e.raoEmission, 4) },
    { key: 'server', label: 'Miners', numeric: true, cell: e => alpha(e.serverEmission, 4) },
    { key: 'validator', label: 'Validators', numeric: true, cell: e => alpha(e.validatorEmission, 4) },
    { key: 'owner', label: 'Owner cut', numeric: true, cell: e => alpha(e.ownerCut, 4) },
    { key: 'burned', label: 'Burned', numeric: true, cell: e => alpha(e.burned, 4) },
    { key: 'carried', label: 'Carried', numeric: true, cell: e => alpha(e.carried, 4) },
  ], epochs, { id: 'epochs', empty: 'no epoch has run yet' });
}

async function epochView(netuid, index) {
  const record = await epochRecord(netuid, index);
  const input = record.inputs ?? {};
  const initial = input.initial_state ?? {};
  const out = record.outputs ?? {};
  const n = Number(initial.n ?? out.incentive?.length ?? 0);
  const uids = Array.from({ length: n }, (_, uid) => uid);
  const at = (vector, uid) => Array.isArray(vector) ? vector[uid] : undefined;
  const sparseRow = row => (row ?? []).map(([column, value]) => `${column}:${value}`).join(' ') || '—';
  const bondsOut = uid => (out.bonds ?? []).filter(cell => cell[0] === uid).map(([, j, v]) => `${j}:${v}`).join(' ') || '—';
  const prev = BigInt(index) > 0n ? epochLink(netuid, (BigInt(index) - 1n).toString(), '← previous') : null;
  return el('div', null,
    el('h1', null, `Subnet ${netuid} · epoch ${record.index}`),
    el('p', { class: 'nav' }, subnetLink(netuid), ' · ', prev, prev ? ' · ' : null,
      epochLink(netuid, (BigInt(index) + 1n).toString(), 'next →')),
    cards([
      ['Block', int(record.block)],
      ['UIDs', String(n)],
      ['Emission', alpha(input.params?.rao_emission ?? 0, 4)],
      ['Case', input.name ?? '—', 'inputs: yuma-epoch-cases/1 · outputs: yuma-epoch-results/1'],
    ], 'epoch-cards'),
    section('Per UID: inputs → outputs', table([
      { key: 'uid', label: 'UID', numeric: true, cell: uid => String(uid) },
      { key: 'stake', label: 'Stake in', numeric: true, cell: uid => alpha(at(initial.stake, uid) ?? 0, 4) },
      { key: 'permit_in', label: 'Permit in', cell: uid => yesNo(at(initial.validator_permit, uid)) },
      { key: 'last_update', label: 'Last update', numeric: true, cell: uid => String(at(initial.last_update, uid) ?? '—') },
      { key: 'weights', label: 'Weights in (uid:u16)', cell: uid => el('code', null, sparseRow(at(initial.weights, uid))) },
      { key: 'bonds_in', label: 'Bonds in', cell: uid => el('code', null, sparseRow(at(initial.bonds, uid))) },
      { key: 'active', label: 'Active', cell: uid => yesNo(at(out.active, uid)) },
      { key: 'consensus', label: 'Consensus', numeric: true, cell: uid => u16(at(out.consensus, uid) ?? 0) },
      { key: 'incentive', label: 'Incentive', numeric: true, cell: uid => u16(at(out.incentive, uid) ?? 0) },
      { key: 'dividends', label: 'Dividends', numeric: true, cell: uid => u16(at(out.dividends, uid) ?? 0) },
      { key: 'validator_trust', label: 'V-trust', numeric: true, cell: uid => u16(at(out.validator_trust, uid) ?? 0) },
      { key: 'permit_out', label: 'Permit out', cell: uid => yesNo(at(out.validator_permit, uid)) },
      { key: 'emission', label: 'Emission', numeric: true, cell: uid => alpha(at(out.emission, uid) ?? 0, 4) },
      { key: 'bonds_out', label: 'Bonds out', cell: uid => el('code', null, bondsOut(uid)) },
    ], uids, { id: 'epoch-uids', empty: 'no UIDs' })),
    section('Parameters', keyValues(input.params, 'epoch-params')),
    section('Raw record',
      el('details', null, el('summary', null, 'inputs (yuma-epoch-cases/1)'), el('pre', null, JSON.stringify(input, bigintJson, 1))),
      el('details', null, el('summary', null, 'outputs (yuma-epoch-results/1)'), el('pre', null, JSON.stringify(out, bigintJson, 1)))));
}
const bigintJson = (_key, value) => typeof value === 'bigint' ? Number(value) : value;

async function hotkeyView(address) {
  const hotkey = await api(`/hotkeys/${encodeURIComponent(address)}`);
  const metagraphs = await Promise.all(hotkey.registrations.map(r => api(`/subnets/${r.netuid}/metagraph`).catch(() => null)));
  const neurons = hotkey.registrations.map((r, k) => ({ ...r, neuron: metagraphs[k]?.neurons.find(n => n.uid === r.uid) }));
  const history = await Promise.all(hotkey.registrations.map(r => neuronHistory(r.netuid, r.uid).catch(() => [])));
  return el('div', null,
    el('h1', null, 'Hotkey ', el('code', { class: 'address' }, hotkey.address)),
    cards([
      ['Owner (coldkey)', accountLink(hotkey.owner)],
      ['Delegate take', percent(hotkey.take / U16_MAX)],
      ['Registrations', String(hotkey.registrations.length)],
      ['Total stake', alpha(hotkey.stakes.filter(s => s.netuid !== 0).reduce((sum, s) => sum + big(s.alpha), 0n), 4), 'alpha, summed over subnets'],
      ['Root stake', el('span', { 'data-testid': 'hotkey-root-stake' }, tao(hotkey.rootStake ?? 0, 4)), 'TAO on the root network (netuid 0)'],
    ], 'hotkey-cards'),
    section('Neurons', table([
      { key: 'netuid', label: 'Subnet', cell: r => subnetLink(r.netuid) },
      { key: 'uid', label: 'UID', numeric: true, cell: r => String(r.uid) },
      { key: 'stake', label: 'Stake', numeric: true, cell: r => r.neuron ? alpha(r.neuron.stake, 4) : '—' },
      { key: 'incentive', label: 'Incentive', numeric: true, cell: r => r.neuron ? u16(r.neuron.incentive) : '—' },
      { key: 'dividends', label: 'Dividends', numeric: true, cell: r => r.neuron ? u16(r.neuron.dividends) : '—' },
      { key: 'emission', label: 'Emission', numeric: true, cell: r => r.neuron ? alpha(r.neuron.emission, 4) : '—' },
      { key: 'permit', label: 'Permit', cell: r => r.neuron ? yesNo(r.neuron.validator_permit) : '—' },
    ], neurons, { id: 'hotkey-neurons', empty: 'not registered on any subnet' })),
    el('div', { class: 'charts' }, history.flat().length === 0 ? null : [
      lineChart('Incentive over the last epochs', history.flatMap(h => h.filter(x => x.field === 'incentive')), 'hotkey-chart-incentive'),
      lineChart('Dividends over the last epochs', history.flatMap(h => h.filter(x => x.field === 'dividends')), 'hotkey-chart-dividends')]),
    section('Stakes', table([
      { key: 'netuid', label: 'Subnet', cell: s => s.netuid === 0 ? span('tag', 'root') : subnetLink(s.netuid) },
      { key: 'coldkey', label: 'Nominator (coldkey)', cell: s => accountLink(s.coldkey) },
      { key: 'alpha', label: 'Stake', numeric: true, cell: s => s.netuid === 0 ? tao(s.alpha, 4) : alpha(s.alpha, 4) },
    ], hotkey.stakes, { id: 'hotkey-stakes', empty: 'no stake' })),
    (hotkey.rootClaimable ?? []).length === 0 ? null : section('Root dividends to claim (claim_root)', table([
      { key: 'netuid', label: 'From subnet', cell: c => subnetLink(c.netuid) },
      { key: 'coldkey', label: 'Root staker (coldkey)', cell: c => accountLink(c.coldkey) },
      { key: 'alpha', label: 'Claimable', numeric: true, cell: c => alpha(c.alpha, 4) },
    ], hotkey.rootClaimable, { id: 'hotkey-root-claimable' })),
    section('Axons', table([
      { key: 'netuid', label: 'Subnet', cell: ([n]) => subnetLink(n) },
      { key: 'name', label: 'Name', cell: ([, a]) => a.name ?? '—' },
      { key: 'endpoint', label: 'Endpoint', cell: ([, a]) => `${a.ip}:${a.port}` },
      { key: 'protocol', label: 'Protocol', numeric: true, cell: ([, a]) => String(a.protocol) },
      { key: 'version', label: 'Version', numeric: true, cell: ([, a]) => String(a.version) },
      { key: 'block', label: 'Served at', numeric: true, cell: ([, a]) => int(a.block) },
    ], Object.entries(hotkey.axons ?? {}), { id: 'hotkey-axons', empty: 'no axon served' })));
}

/** One UID's incentive and dividends over the subnet's recorded epochs, as chart series. */
async function neuronHistory(netuid, uid) {
  const epochs = await api(`/subnets/${netuid}/epochs?limit=${CHART_EPOCHS}`);
  const records = (await Promise.all(epochs.map(e => epochRecord(netuid, e.index)))).sort((a, b) => Number(a.index) - Number(b.index));
  return ['incentive', 'dividends'].map(field => ({
    field, uid: netuid, name: `SN ${netuid} · UID ${uid}`,
    points: records.filter(r => uid < (r.outputs[field]?.length ?? 0)).map(r => [Number(r.index), r.outputs[field][uid]]),
  }));
}

async function accountView(address) {
  const account = await api(`/accounts/${encodeURIComponent(address)}`);
  return el('div', null,
    el('h1', null, 'Account ', el('code', { class: 'address' }, account.address)),
    cards([
      ['Free balance', el('span', { 'data-testid': 'account-balance' }, tao(account.balance, 4))],
      ['Next nonce', int(account.nextNonce), 'transactions signed so far'],
      ['Hotkeys', String(account.hotkeys.length)],
    ], 'account-cards'),
    section('Hotkeys', table([
      { key: 'hotkey', label: 'Hotkey', cell: h => link(`#/hotkey/${encodeURIComponent(h)}`, h) },
    ], account.hotkeys, { id: 'account-hotkeys', empty: 'no hotkeys' })));
}

// ---------------------------------------------------------------- blocks and events

const shortHash = h => h ? span('hash', `${h.slice(0, 10)}…${h.slice(-6)}`, h) : span('muted', 'open', 'the chain\'s head: sealed when the next block starts');
const blockLink = n => link(`#/block/${encodeURIComponent(n)}`, `#${int(n)}`);
const time = t => t ? span('time', new Date(t).toLocaleTimeString(), t) : '—';

/** An event's amount, subject and detail, from the fields its kind uses (docs/events.md). */
function eventCells(e) {
  const amount = e.tao !== undefined ? tao(e.tao, 4) : e.alpha !== undefined ? alpha(e.alpha, 4) : '—';
  const who = e.coldkey ?? e.hotkey;
  const dest = e.destColdkey ?? e.destHotkey;
  const detail = [
    e.name !== undefined ? `${e.name} = ${e.value ?? ''}` : null,
    e.uid !== undefined ? `uid ${e.uid}` : null,
    e.number !== undefined && !e.epoch ? `#${int(e.number)}` : null,
    e.epoch ? `epoch ${int(e.epoch.index ?? 0)}` : null,
  ].filter(Boolean).join(' · ');
  return {
    who: who ? (e.coldkey ? accountLink(who) : hotkeyLink(who)) : '—',
    dest: dest ? (e.destColdkey ? accountLink(dest) : hotkeyLink(dest)) : '—',
    subnet: e.netuid !== undefined ? subnetLink(e.netuid) : '—',
    amount, detail: detail || '—',
  };
}

function eventsTable(events, id, { withBlock = true } = {}) {
  const rows = events.map(e => ({ e, c: eventCells(e) })); // each event's cells built once
  return table([
    { key: 'id', label: 'Event', numeric: true, cell: r => int(r.e.id) },
    withBlock ? { key: 'block', label: 'Block', numeric: true, cell: r => blockLink(r.e.block) } : null,
    { key: 'kind', label: 'Kind', cell: r => span('tag kind', r.e.kind) },
    { key: 'who', label: 'From', cell: r => r.c.who },
    { key: 'dest', label: 'To', cell: r => r.c.dest },
    { key: 'subnet', label: 'Subnet', cell: r => r.c.subnet },
    { key: 'amount', label: 'Amount', numeric: true, cell: r => r.c.amount },
    { key: 'detail', label: 'Detail', cell: r => r.c.detail },
  ].filter(Boolean), rows, { id, empty: 'no events' });
}

async function blocksView() {
  const page = await api('/blocks?limit=20');
  const blocks = [...page.blocks].reverse();
  return el('div', null,
    el('h1', null, 'Blocks'),
    el('p', { class: 'muted' }, `The block log keeps blocks ${int(page.firstBlock)}…${int(page.headBlock)}.`),
    section('Latest blocks', table([
      { key: 'number', label: 'Block', numeric: true, cell: b => blockLink(b.number) },
      { key: 'hash', label: 'Hash', cell: b => shortHash(b.hash) },
      { key: 'time', label: 'Time', cell: b => time(b.timestamp) },
      { key: 'extrinsics', label: 'Extrinsics', numeric: true, cell: b => String(b.extrinsics.length) },
      { key: 'failed', label: 'Refused', numeric: true, cell: b => String(b.extrinsics.filter(x => !x.ok).length) },
      { key: 'events', label: 'Events', numeric: true, cell: b => String(b.events.length) },
    ], blocks, { id: 'blocks', empty: 'no blocks kept yet' })),
    section('Live events', eventsTable(liveStream.recent, 'live-events')));
}

async function blockView(number) {
  const b = await api(`/blocks/${encodeURIComponent(number)}`);
  const n = BigInt(b.number);
  return el('div', null,
    el('h1', null, `Block #${int(b.number)}`),
    el('p', { class: 'nav' }, n > 0n ? ['← ', blockLink((n - 1n).toString()), ' · '] : null, blockLink((n + 1n).toString()), ' →'),
    cards([
      ['Hash', shortHash(b.hash), b.sealed ? 'sealed' : 'open: the chain\'s head'],
      ['Parent', shortHash(b.parentHash)],
      ['Changes hash', shortHash(b.changesHash), 'BLAKE2b-256 of its extrinsics and events'],
      ['Time', time(b.timestamp)],
    ], 'block-cards'),
    section(`Extrinsics (${b.extrinsics.length})`, table([
      { key: 'index', label: '#', numeric: true, cell: x => String(x.index) },
      { key: 'call', label: 'Call', cell: x => el('code', null, x.call) },
      { key: 'signer', label: 'Signer', cell: x => accountLink(x.signer) },
      { key: 'ok', label: 'Outcome', cell: x => x.ok ? span('yes', 'applied') : span('no', `refused: ${x.code ?? ''}`) },
      { key: 'hash', label: 'Transaction', cell: x => x.hash ? span('hash', `${x.hash.slice(0, 10)}…`, x.hash) : '—' },
    ], b.extrinsics, { id: 'block-extrinsics', empty: 'no extrinsics in this block' })),
    section(`Events (${b.events.length})`, eventsTable(b.events, 'block-events', { withBlock: false })));
}

async function eventsView() {
  const head = await api('/events?limit=1');
  const after = Math.max(0, Number(head.lastId) - 50);
  const page = await api(`/events?after=${after}&limit=50`);
  const byId = new Map([...page.events, ...liveStream.recent].map(e => [Number(e.id), e]));
  const events = [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id)).slice(0, 100);
  return el('div', null,
    el('h1', null, 'Events'),
    el('p', { class: 'muted' }, liveStream.open
      ? 'New events arrive through the event stream (/api/events/stream) as the chain applies them.'
      : 'The event stream is not connected: the list follows by polling.'),
    section('Latest events', eventsTable(events, 'events')));
}

// ---------------------------------------------------------------- the event stream

/**
 * Server-Sent Events from /api/events/stream: every event as the chain applies it (the browser resumes after the last id
 * when it reconnects). An event re-renders the page it concerns at once; polling still moves the block number between
 * events. The newest events are kept for the blocks and events pages.
 */
const liveStream = { open: false, received: 0, recent: [], source: null };

async function connectStream() {
  if (typeof EventSource === 'undefined') return;
  let kinds;
  try { kinds = await api('/events/kinds'); } catch { setTimeout(connectStream, POLL_MS); return; }
  const source = new EventSource('/api/events/stream');
  liveStream.source = source;
  source.onopen = () => { liveStream.open = true; showLive(); };
  source.onerror = () => { liveStream.open = false; showLive(); }; // EventSource reconnects by itself, with Last-Event-ID
  const onEvent = message => {
    let e;
    try { e = parseJson(message.data); } catch { return; }
    liveStream.received++;
    liveStream.recent.unshift(e);
    if (liveStream.recent.length > 100) liveStream.recent.length = 100;
    document.body.dataset.streamEvents = String(liveStream.received);
    if (concerns(currentView().path, e)) scheduleRefresh();
  };
  for (const kind of kinds) source.addEventListener(kind, onEvent);
}

/** Whether an event changes what the page at `path` shows. */
function concerns(path, e) {
  let m;
  if ((m = /^\/subnet\/(\d+)$/.exec(path))) return Number(e.netuid) === Number(m[1]) || Number(e.destNetuid) === Number(m[1]);
  if ((m = /^\/hotkey\/([^/]+)$/.exec(path))) return e.hotkey === m[1] || e.destHotkey === m[1];
  if ((m = /^\/account\/([^/]+)$/.exec(path))) return e.coldkey === m[1] || e.destColdkey === m[1];
  if (/\/epoch\//.test(path)) return false;
  if ((m = /^\/block\/(\d+)$/.exec(path))) return String(e.block) === m[1];
  return true;
}

let refreshScheduled = false;
function scheduleRefresh() {
  if (refreshScheduled) return;
  refreshScheduled = true;
  setTimeout(() => { refreshScheduled = false; refresh(); }, 250);
}

function showLive() {
  const live = document.getElementById('live');
  if (!state.chain || live.classList.contains('error')) return;
  live.textContent = `block ${int(state.chain.block)} · live${liveStream.open ? ' · stream' : ''}`;
  live.title = liveStream.open ? 'events arrive through /api/events/stream; the block number is polled every 2 s' : 'polls the REST API every 2 s';
  document.body.dataset.stream = liveStream.open ? 'open' : 'closed';
}

// ---------------------------------------------------------------- router and live updates

/** [pattern, view, live]: a live view is rendered again on every poll; a recorded epoch never changes. */
const routes = [
  [/^\/?$/, overviewView, true],
  [/^\/subnets$/, subnetsView, true],
  [/^\/subnet\/(\d+)$/, subnetView, true],
  [/^\/subnet\/(\d+)\/epoch\/(\d+)$/, epochView, false],
  [/^\/hotkey\/([^/]+)$/, hotkeyView, true],
  [/^\/account\/([^/]+)$/, accountView, true],
  [/^\/blocks$/, blocksView, true],
  [/^\/block\/(\d+)$/, blockView, true],
  [/^\/events$/, eventsView, true],
];

function currentView() {
  const path = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  for (const [pattern, view, live] of routes) {
    const match = pattern.exec(path);
    if (match) return { path, live, render: () => view(...match.slice(1)) };
  }
  return { path, live: false, render: async () => el('div', null, el('h1', null, 'Not found'), el('p', null, 'No page at ', el('code', null, path), '.')) };
}

let renderedPath = null;

let generation = 0;

/** Renders the current route again (data, sorting) and the live indicator; a newer refresh wins. */
async function refresh() {
  const mine = ++generation;
  const view = document.getElementById('view');
  const live = document.getElementById('live');
  const route = currentView();
  const rerender = route.live || route.path !== renderedPath;
  try {
    const [chain, content] = await Promise.all([api('/chain'), rerender ? route.render() : null]);
    if (mine !== generation) return;
    state.chain = chain;
    live.className = 'live ok';
    showLive();
    if (content) {
      // Keep what the reader opened across the re-render.
      const open = new Set([...view.querySelectorAll('details[open] > summary')].map(summary => summary.textContent));
      for (const summary of content.querySelectorAll('details > summary')) if (open.has(summary.textContent)) summary.parentElement.open = true;
      view.replaceChildren(content);
      renderedPath = route.path;
    }
    document.body.dataset.block = String(chain.block);
    document.body.dataset.ready = 'true';
  } catch (error) {
    if (mine !== generation) return;
    live.textContent = error instanceof ApiError ? `error ${error.status}` : 'offline';
    live.className = 'live error';
    if (!view.firstChild || error instanceof ApiError) {
      renderedPath = null;
      view.replaceChildren(el('div', { class: 'error-box' }, el('h1', null, 'Cannot show this page'), el('p', null, error.message)));
    }
    document.body.dataset.ready = 'true';
  }
}

function poll() {
  refresh().finally(() => setTimeout(poll, POLL_MS));
}

window.addEventListener('hashchange', () => {
  renderedPath = null;
  document.body.dataset.ready = 'false';
  document.getElementById('view').replaceChildren(el('p', { class: 'loading' }, 'loading…'));
  refresh();
});

document.getElementById('search').addEventListener('submit', event => {
  event.preventDefault();
  const address = document.getElementById('search-address').value.trim();
  if (!address) return;
  const kind = event.submitter?.value === 'hotkey' ? 'hotkey' : 'account';
  location.hash = `#/${kind}/${encodeURIComponent(address)}`;
});

poll();
connectStream();
