/* global URL, URLSearchParams, WebSocket, fetch, location, performance, requestAnimationFrame, setTimeout, setInterval */
// The browser follower: connects to the share's stream with the token in this
// page's URL, folds the numbered events with the engine's own reducer
// (reducer.js) and redraws at most once per animation frame. It never sends
// anything. On a broken connection it reconnects with the last sequence
// number it applied, so nothing is shown twice or skipped.

import { initialViewState, reduce } from './reducer.js';
import { render } from './render.js';

const PROTOCOL_VERSION = 1;
const SERVER_CLOSING = 4010;

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? '';
const wantsPresenter = params.get('role') === 'presenter';

const follower = {
  state: initialViewState,
  seq: 0,
  epoch: null,
  connection: 'connecting',
  receivedAt: performance.now(),
  /** A past step the reader chose to look at, or null to follow the presenter. */
  pinnedStep: null,
};

let frameRequested = false;
function redraw() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    render(follower, { pinStep });
  });
}

function pinStep(index) {
  follower.pinnedStep = index === follower.state.currentStep ? null : index;
  redraw();
}

function setConnection(connection) {
  follower.connection = connection;
  redraw();
}

function isFrame(frame) {
  if (!frame || typeof frame !== 'object') return false;
  if (frame.kind === 'hello') return typeof frame.epoch === 'string' && typeof frame.isResumed === 'boolean';
  if (frame.kind === 'snapshot') return Number.isInteger(frame.seq) && frame.state && typeof frame.state === 'object';
  if (frame.kind === 'events') return Number.isInteger(frame.first) && Array.isArray(frame.events);
  return false;
}

/** Applies a frame; false means a gap, and the connection is restarted to fill it. */
function apply(frame) {
  if (frame.kind === 'hello') {
    if (frame.protocol !== PROTOCOL_VERSION) throw new Error(`protocol ${frame.protocol} is not supported by this page`);
    follower.epoch = frame.epoch;
    if (frame.isResumed) setConnection('live');
    return true;
  }
  if (frame.kind === 'snapshot') {
    follower.state = frame.state;
    follower.seq = frame.seq;
    setConnection('live');
    return true;
  }
  if (frame.first > follower.seq + 1) return false;
  const skip = follower.seq + 1 - frame.first;
  for (const event of frame.events.slice(skip)) {
    if (!event || typeof event.type !== 'string' || typeof event.t !== 'number') throw new Error('malformed event');
    follower.state = reduce(follower.state, event);
  }
  follower.seq = Math.max(follower.seq, frame.first + frame.events.length - 1);
  return true;
}

let delay = 250;
let hasEnded = false;

function streamUrl() {
  const url = new URL('stream', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.searchParams.set('token', token);
  if (wantsPresenter) url.searchParams.set('role', 'presenter');
  if (follower.epoch) {
    url.searchParams.set('epoch', follower.epoch);
    url.searchParams.set('since', String(follower.seq));
  }
  return url.toString();
}

async function explainRefusal() {
  // A browser does not show a WebSocket's HTTP status; the same URL over plain HTTP says it.
  try {
    const response = await fetch(streamUrl(), { cache: 'no-store' });
    if (response.status === 401) return 'refused: this link\'s token is not valid';
    if (response.status === 403) return 'refused: this token cannot open the presenter view';
  } catch {
    return null;
  }
  return null;
}

function connect() {
  const socket = new WebSocket(streamUrl());
  let opened = false;
  socket.onopen = () => { opened = true; };
  socket.onmessage = (message) => {
    let frame;
    try {
      frame = JSON.parse(message.data);
      if (!isFrame(frame)) throw new Error('unknown frame');
      if (!apply(frame)) {
        socket.close();
        return;
      }
    } catch (error) {
      hasEnded = true;
      socket.close();
      setConnection(`failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    follower.receivedAt = performance.now();
    redraw();
  };
  socket.onclose = async (event) => {
    if (hasEnded) return;
    if (event.code === SERVER_CLOSING) {
      hasEnded = true;
      setConnection('ended');
      return;
    }
    if (!opened) {
      const refusal = await explainRefusal();
      if (refusal) {
        hasEnded = true;
        setConnection(refusal);
        return;
      }
    } else {
      delay = 250;
    }
    setConnection('reconnecting');
    setTimeout(connect, delay);
    delay = Math.min(5000, delay * 2);
  };
}

if (!token) setConnection('refused: this page needs the link with ?token=');
else connect();
setInterval(redraw, 1000);
redraw();
