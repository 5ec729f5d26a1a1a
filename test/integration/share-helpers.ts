import { createBus, type EventBus } from '../../src/engine/bus';
import type { UnstampedEvent } from '../../src/engine/events';
import { createViewStore, type ViewStore } from '../../src/engine/store';
import type { ViewState } from '../../src/engine/view-state';
import { loadScenarioFile } from '../../src/scenario/load';
import { follow, type Follower, type FollowOptions } from '../../src/share/follower';
import { startShareServer, type ShareServer, type ShareServerOptions } from '../../src/share/server';
import { repoRoot, waitFor } from '../helpers';
import { join } from 'node:path';

// What the share tests have in common: a share server on an ephemeral
// loopback port fed by a real bus, a presenter store beside it, and followers.

/** A presenter side: bus → share server and the presenter's own store. */
export interface PresenterSide {
  readonly server: ShareServer;
  readonly bus: EventBus;
  readonly store: ViewStore;
  /** The share's base URL. */
  readonly base: string;
  close(): Promise<void>;
}

/** Starts a share server on 127.0.0.1:0 fed by a fresh bus. */
export async function startPresenter(options: ShareServerOptions = {}): Promise<PresenterSide> {
  const server = await startShareServer({ bind: { host: '127.0.0.1', port: 0 }, heartbeatSeconds: 60, ...options });
  const store = createViewStore({ frameMs: 0 });
  const bus = createBus({ sinks: [server.sink, (event) => store.dispatch(event)] });
  return {
    server,
    bus,
    store,
    base: `http://127.0.0.1:${server.address.port}/`,
    close: () => server.close(),
  };
}

/** Starts followers and waits until each has its snapshot. */
export async function startFollowers(count: number, options: Omit<FollowOptions, 'url'> & { url: string }): Promise<Follower[]> {
  const followers = Array.from({ length: count }, () => follow({ ...options, store: createViewStore({ frameMs: 0 }) }));
  await Promise.all(followers.map((f) => f.ready));
  return followers;
}

/** Waits until every follower applied the hub's newest event. */
export async function waitForHead(server: ShareServer, followers: readonly Follower[], timeoutMs = 15_000): Promise<void> {
  server.hub.flush();
  const head = server.hub.stats().head;
  await waitFor(() => followers.every((f) => f.status().seq >= head), { timeoutMs, message: `${followers.length} followers at seq ${head}` });
}

/** The state a follower shows now. */
export function stateOf(follower: Follower): ViewState {
  follower.store.flush();
  return follower.store.getSnapshot();
}

/** The demo scenario as `run.started` carries it (it has talking points). */
export async function demoScenario() {
  const loaded = await loadScenarioFile(join(repoRoot, 'scenarios', 'demo', 'shell-marker.yaml'));
  return loaded.scenario;
}

/** A run.started for the demo scenario, without `t`. */
export async function demoRunStarted(): Promise<Extract<UnstampedEvent, { type: 'run.started' }>> {
  return {
    type: 'run.started', runId: 'share-test', scenario: await demoScenario(), environment: { name: 'local', isLab: false },
    mode: 'live', isAuto: false, startedAt: new Date().toISOString(),
  };
}
