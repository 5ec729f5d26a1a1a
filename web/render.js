/* global document, Node, performance */
// Draws the follower's state into the page. Every text from the stream goes
// in through textContent (never innerHTML), so a log line cannot inject
// markup. A section is redrawn only when its slice of the state changed: the
// reducer keeps untouched slices identical between events.

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'onclick') element.addEventListener('click', value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function replace(id, ...children) {
  $(id).replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
}

/** Inline markdown: **bold**, `code`, *emphasis*; everything else is text. */
function inline(text) {
  const parts = [];
  const pattern = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*]+\*)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const token = match[0];
    if (token.startsWith('**')) parts.push(h('strong', {}, token.slice(2, -2)));
    else if (token.startsWith('`')) parts.push(h('code', {}, token.slice(1, -1)));
    else parts.push(h('em', {}, token.slice(1, -1)));
    last = match.index + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Block markdown: headings, bullet lists, code fences and paragraphs. */
function markdown(source) {
  const blocks = [];
  let list = null;
  let fence = null;
  for (const line of source.split('\n')) {
    if (fence) {
      if (line.trim().startsWith('```')) { blocks.push(h('pre', {}, fence.join('\n'))); fence = null; } else fence.push(line);
      continue;
    }
    if (line.trim().startsWith('```')) { list = null; fence = []; continue; }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    if (heading) { list = null; blocks.push(h(`h${Math.min(6, heading[1].length + 3)}`, {}, inline(heading[2]))); }
    else if (bullet) {
      if (!list) { list = h('ul'); blocks.push(list); }
      list.append(h('li', {}, inline(bullet[1])));
    } else if (line.trim() === '') list = null;
    else { list = null; blocks.push(h('p', {}, inline(line))); }
  }
  if (fence) blocks.push(h('pre', {}, fence.join('\n')));
  return blocks;
}

const clock = (ms) => {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

const CHECK_GLYPH = { pending: '…', met: '✓', missed: '✗', skipped: '–' };
const STEP_GLYPH = { pending: '○', current: '▶', done: '✓', failed: '✗', skipped: '–' };

let drawn = {};

function header(follower) {
  const { state } = follower;
  $('title').textContent = state.run ? state.run.scenario.title : 'waiting for the run…';
  const phase = $('phase');
  phase.textContent = state.phase ? state.phase.toUpperCase() : '—';
  phase.dataset.phase = state.phase ?? '';
  const isRunning = state.status === 'running';
  const elapsed = state.t + (isRunning ? performance.now() - follower.receivedAt : 0);
  $('clock').textContent = `t+${clock(elapsed)}`;
  const connection = $('connection');
  const isLive = follower.connection === 'live';
  connection.textContent = isLive ? (isRunning ? 'live' : state.status === 'idle' ? 'live · waiting' : `run ${state.status}`) : follower.connection;
  connection.dataset.state = isLive ? 'live' : follower.connection.split(':')[0];
  const banner = $('banner');
  const text = state.halted ? `HALTED — ${state.halted.reason}` : state.verdict ? `Verdict: ${state.verdict.outcome}${state.verdict.isDeviated ? ' (deviated)' : ''}` : '';
  banner.hidden = text === '';
  banner.textContent = text;
  banner.dataset.kind = state.halted ? 'halt' : state.verdict?.outcome === 'PASS' ? 'pass' : 'fail';
}

function notes(follower, actions) {
  const { state } = follower;
  const index = follower.pinnedStep ?? state.currentStep;
  const key = `${index}`;
  if (drawn.run === state.run && drawn.checks === state.checks && drawn.notesKey === key) return;
  const run = state.run;
  const step = run?.scenario.steps[index];
  $('back-to-live').hidden = follower.pinnedStep === null;
  $('back-to-live').onclick = () => actions.pinStep(state.currentStep);
  $('step-number').textContent = run && step ? `${index + 1}/${run.scenario.steps.length}` : '';
  $('hypothesis').textContent = run ? `Hypothesis: ${run.scenario.hypothesis}` : '';
  $('step-title').textContent = step ? step.title : run ? 'The presenter has not entered the first step yet.' : '';
  replace('notes', step?.notes ? markdown(step.notes) : []);
  const own = state.checks.filter((c) => c.kind === 'expect' && c.step === index);
  $('expect-block').hidden = !step || step.expect.length === 0;
  replace('expect', (step?.expect ?? []).map((expectation, i) => {
    const check = own.find((c) => c.label === expectation.text) ?? own[i];
    const status = check?.status ?? 'pending';
    return h('li', { 'data-status': status }, h('span', { class: 'glyph' }, CHECK_GLYPH[status]), ' ', expectation.text, check?.observed ? h('span', { class: 'muted' }, ` (${check.observed})`) : null);
  }));
  const say = step?.say ?? [];
  $('say-block').hidden = say.length === 0;
  replace('say', say.map((point) => h('li', {}, inline(point))));
  $('student').hidden = !step?.student;
  replace('student', step?.student ? [h('strong', {}, 'You: '), ...inline(step.student)] : []);
  drawn = { ...drawn, run: state.run, checks: state.checks, notesKey: key };
}

function steps(follower, actions) {
  const { state } = follower;
  const key = `${follower.pinnedStep}`;
  if (drawn.steps === state.steps && drawn.stepsRun === state.run && drawn.stepsKey === key) return;
  const list = state.run?.scenario.steps ?? [];
  replace('steps', list.map((step, i) => {
    const progress = state.steps[i]?.progress ?? 'pending';
    return h('li', { 'data-progress': progress, 'data-phase': step.phase, class: follower.pinnedStep === i ? 'pinned' : undefined },
      h('button', { type: 'button', onclick: () => actions.pinStep(i) }, h('span', { class: 'glyph' }, STEP_GLYPH[progress]), ` ${step.title}`, h('span', { class: 'tag' }, step.phase)));
  }));
  drawn = { ...drawn, steps: state.steps, stepsRun: state.run, stepsKey: key };
}

function chart(state) {
  if (drawn.latency === state.latency && drawn.markers === state.markers) return;
  const samples = state.latency.samples.slice(-120);
  const svg = $('chart');
  const width = 300;
  const height = 120;
  const max = Math.max(50, ...samples.map((s) => s.p99));
  const nodes = [];
  if (samples.length > 0) {
    const t0 = samples[0].t;
    const span = Math.max(1, samples[samples.length - 1].t - t0);
    const x = (t) => ((t - t0) / span) * width;
    const y = (v) => height - (v / max) * (height - 4);
    for (const marker of state.markers.filter((m) => m.t >= t0)) {
      const line = document.createElementNS(SVG, 'line');
      for (const [k, v] of Object.entries({ x1: x(marker.t), x2: x(marker.t), y1: 0, y2: height, class: `marker ${marker.kind}` })) line.setAttribute(k, String(v));
      nodes.push(line);
    }
    for (const series of ['p50', 'p95', 'p99']) {
      const path = document.createElementNS(SVG, 'polyline');
      path.setAttribute('points', samples.map((s) => `${x(s.t).toFixed(1)},${y(s[series]).toFixed(1)}`).join(' '));
      path.setAttribute('class', series);
      nodes.push(path);
    }
    const last = samples[samples.length - 1];
    $('latency-now').textContent = `p95 ${Math.round(last.p95)} ms · ${last.rps.toFixed(0)} rps · errors ${(last.errorRate * 100).toFixed(1)} %`;
  }
  svg.replaceChildren(...nodes);
  $('chart-max').textContent = samples.length > 0 ? `max ${Math.round(max)} ms` : 'no samples yet';
  drawn = { ...drawn, latency: state.latency, markers: state.markers };
}

function breakers(state) {
  if (drawn.breakers === state.breakers) return;
  replace('breakers', state.breakers.length === 0 ? [h('li', { class: 'muted' }, 'none yet')] : state.breakers.map((b) =>
    h('li', { 'data-breaker': b.name, 'data-state': b.state }, h('span', { class: 'name' }, b.name), h('span', { class: 'badge' }, b.state),
      b.failureRate !== undefined ? h('span', { class: 'muted' }, ` ${b.failureRate.toFixed(0)} % failing`) : null)));
  drawn = { ...drawn, breakers: state.breakers };
}

function targets(state) {
  if (drawn.targets === state.targets) return;
  replace('targets', state.targets.map((t) =>
    h('tr', { 'data-target': t.name, 'data-ready': t.isReady ? 'yes' : 'no' }, h('td', {}, t.name), h('td', {}, t.state), h('td', {}, t.isReady ? 'yes' : 'no'), h('td', {}, String(t.restarts)))));
  drawn = { ...drawn, targets: state.targets };
}

function commands(state) {
  if (drawn.actions === state.actions) return;
  const recent = state.actions.filter((a) => a.commands.length > 0).slice(-4);
  replace('commands', recent.length === 0 ? [h('p', { class: 'muted' }, 'no command yet')] : recent.flatMap((a) => a.commands.map((c) =>
    h('div', { class: 'command', 'data-status': c.isRunning ? 'running' : c.exitCode === 0 ? 'ok' : 'failed' },
      h('code', {}, `$ ${c.display}`),
      h('span', { class: 'muted' }, c.isRunning ? ' running…' : ` exit ${c.exitCode ?? c.signal ?? '?'}${c.durationMs !== null ? ` · ${Math.round(c.durationMs)} ms` : ''}${c.isDryRun ? ' · dry-run' : ''}`),
      c.output.length > 0 ? h('pre', {}, c.output.slice(-4).map((o) => o.text).join('\n')) : null))));
  drawn = { ...drawn, actions: state.actions };
}

function logs(state) {
  if (drawn.logs === state.logs) return;
  const pre = $('logs');
  const isAtBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
  pre.textContent = state.logs.lines.slice(-200).map((l) => `${l.source.padEnd(8)} ${l.text}`).join('\n');
  if (isAtBottom) pre.scrollTop = pre.scrollHeight;
  $('logs-info').textContent = state.logs.dropped > 0 ? `${state.logs.dropped} dropped` : '';
  drawn = { ...drawn, logs: state.logs };
}

/** Draws everything that changed since the last call. */
export function render(follower, actions) {
  const state = follower.state;
  if (follower.pinnedStep !== null && !state.run?.scenario.steps[follower.pinnedStep]) follower.pinnedStep = null;
  header(follower);
  notes(follower, actions);
  steps(follower, actions);
  chart(state);
  breakers(state);
  targets(state);
  commands(state);
  logs(state);
}
