/**
 * `Subscription.cloneProgress` over a real graphql-ws client. The API's process runs no clones: a
 * clone runner on a second connection to the same SQLite file plays the other process, so the
 * subscription only learns of the clone's progress through the event log.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloneRunner } from '../../src/clone/runner.js';
import { CloneProgressResolver } from '../../src/resolvers/clone-progress.resolver.js';
import { cloneStreamId } from '../../src/domain/clone/decider.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import { SubscriptionQueue } from '../../src/eventstore/subscription-queue.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { dataOf, startApiServer, type ApiServer } from './support/api-server.js';
import { createOrganization, seedOrganization, type SeededOrganization } from './support/seed.js';

const PROGRESS = `
  subscription Progress($cloneId: ID!) {
    cloneProgress(cloneId: $cloneId) {
      cloneId status progress { done total phase } attempt failure { reason resumable }
      totals { category copied copiedWithOmissions resetToDefault skipped excluded total }
      auditDigest version updatedAt terminal
    }
  }`;

const CLONE = `
  mutation Clone($input: CloneOrganizationInput!) {
    cloneOrganization(input: $input) { id status progress { total } }
  }`;

const OPERATION = `
  query Operation($id: ID!) {
    cloneOperation(id: $id) {
      status auditDigest version
      progress { done total }
      totals { category copied copiedWithOmissions resetToDefault skipped excluded total }
      audit(first: 500) { edges { node { category } } }
    }
  }`;

interface ProgressEvent {
  cloneId: string;
  status: string;
  progress: { done: number; total: number; phase: string | null };
  attempt: number;
  failure: { reason: string; resumable: boolean } | null;
  totals: Record<string, unknown>[] | null;
  auditDigest: string | null;
  version: string;
  updatedAt: string;
  terminal: boolean;
}

interface Received {
  at: number;
  event: ProgressEvent;
}

interface Following {
  received: Received[];
  /** Errors of a result that carried no data (a refusal before anything streamed). */
  errors: { message: string; extensions?: Record<string, unknown> }[];
  /** Settles when the server completes the subscription (or fails it). */
  ended: Promise<{ error?: unknown }>;
  unsubscribe: () => void;
}

let api: ApiServer;
let otherProcessStore: EventStore;
let key: string;
let otherProviderKey: string;
let source: SeededOrganization;
const clients: Client[] = [];

beforeAll(async () => {
  api = await startApiServer({ cloneRunner: false });
  otherProcessStore = await openSqliteEventStore({
    path: join(api.runtime.config.dataDir, 'events.sqlite'),
    pollIntervalMs: 10,
  });
  const providerId = (await api.provider('PAID')).id;
  const admin = await api.administrator(providerId);
  key = admin.key;
  source = await seedOrganization(api, key, {
    name: 'Progress Source',
    size: 6,
    marker: 'progressMarker1',
    administratorIds: [admin.administrator.id],
  });
  const otherProvider = await api.provider('PAID');
  ({ key: otherProviderKey } = await api.administrator(otherProvider.id));
  await createOrganization(api, otherProviderKey, 'Elsewhere');
});

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await api?.stop();
  await otherProcessStore?.close();
});

function connect(apiKey = key): Client {
  const client = api.connect(apiKey);
  clients.push(client);
  return client;
}

function follow(client: Client, cloneId: string): Following {
  const received: Received[] = [];
  const errors: Following['errors'] = [];
  let unsubscribe = () => {};
  const ended = new Promise<{ error?: unknown }>((resolve) => {
    unsubscribe = client.subscribe(
      { query: PROGRESS, variables: { cloneId } },
      {
        next: (result: FormattedExecutionResult<Record<string, unknown>, unknown>) => {
          if (result.data)
            received.push({ at: performance.now(), event: result.data.cloneProgress as ProgressEvent });
          else errors.push(...((result.errors ?? []) as Following['errors']));
        },
        error: (error) => resolve({ error }),
        complete: () => resolve({}),
      },
    );
  });
  return { received, errors, ended, unsubscribe };
}

async function requestClone(name: string): Promise<{ id: string; status: string; total: number }> {
  const data = dataOf(
    await api.graphql<{ cloneOrganization: { id: string; status: string; progress: { total: number } } }>(
      key,
      CLONE,
      { input: { sourceOrganizationId: source.id, name } },
    ),
  );
  const { id, status, progress } = data.cloneOrganization;
  return { id, status, total: progress.total };
}

async function operation(id: string) {
  return dataOf(
    await api.graphql<{
      cloneOperation: {
        status: string;
        auditDigest: string | null;
        version: string;
        progress: { done: number; total: number };
        totals: Record<string, unknown>[];
        audit: { edges: { node: { category: string } }[] };
      };
    }>(key, OPERATION, { id }),
  ).cloneOperation;
}

/** Consecutive duplicates dropped. */
function runs<T>(values: readonly T[]): T[] {
  return values.filter((value, index) => index === 0 || value !== values[index - 1]);
}

describe('cloneProgress', () => {
  let completedId: string;

  it('sends the current state first, then updates, then COMPLETED with done === total, then completes', async () => {
    const requested = await requestClone('Progress Copy');
    // Nothing runs clones yet: the clone waits, and the read model knows nothing of its progress.
    expect(requested.status).toBe('PENDING');
    completedId = requested.id;

    const following = follow(connect(), requested.id);
    await vi.waitFor(() => expect(following.received).toHaveLength(1));
    expect(following.received[0]!.event).toMatchObject({
      cloneId: requested.id,
      status: 'PENDING',
      progress: { done: 0, total: requested.total, phase: null },
      attempt: 0,
      failure: null,
      totals: null,
      version: '0',
      terminal: false,
    });

    // The other process runs it, one item per append, slowly enough to show progress.
    const runner = new CloneRunner({
      store: otherProcessStore,
      maxBatchItems: 1,
      onStep: () => sleep(10),
    });
    await runner.start();
    try {
      expect(await following.ended).toEqual({});
    } finally {
      await runner.stop();
    }

    const events = following.received.map((received) => received.event);
    const last = events.at(-1)!;
    const done = await operation(requested.id);
    expect(last).toMatchObject({
      status: 'COMPLETED',
      terminal: true,
      progress: { done: requested.total, total: requested.total },
      attempt: 1,
      auditDigest: done.auditDigest,
      version: done.version,
    });
    expect(last.totals).toEqual(done.totals);
    expect(events.slice(0, -1).every((event) => !event.terminal && event.totals === null)).toBe(true);
    expect(runs(events.map((event) => event.status))).toEqual(['PENDING', 'RUNNING', 'COMPLETED']);

    const dones = events.map((event) => event.progress.done);
    expect(dones.every((value, index) => index === 0 || value >= dones[index - 1]!)).toBe(true);
    const versions = events.map((event) => BigInt(event.version));
    expect(versions.every((value, index) => index === 0 || value > versions[index - 1]!)).toBe(true);
    expect(dones.some((value) => value > 0 && value < requested.total)).toBe(true);

    // Every phase is sent, in plan order.
    const categories = runs(done.audit.edges.map((edge) => edge.node.category));
    expect(runs(events.map((event) => event.progress.phase).filter((phase) => phase !== null))).toEqual(
      categories,
    );

    // Within one status and phase, at most one update per 100 ms.
    const received = following.received;
    const sameStateUpdates = received.filter((entry, index) => {
      const previous = received[index - 1]?.event;
      return (
        previous?.status === entry.event.status && previous.progress.phase === entry.event.progress.phase
      );
    }).length;
    const span = received.at(-1)!.at - received[0]!.at;
    expect(sameStateUpdates).toBeGreaterThan(0);
    expect(sameStateUpdates).toBeLessThanOrEqual(Math.floor(span / 100) + 2);
    expect(received.length).toBeLessThan(requested.total);
  });

  it('sends a late subscriber the terminal state at once, then completes', async () => {
    const completed = follow(connect(), completedId);
    expect(await completed.ended).toEqual({});
    expect(completed.received.map((received) => received.event)).toEqual([
      expect.objectContaining({ status: 'COMPLETED', terminal: true }),
    ]);
    const [event] = completed.received.map((received) => received.event);
    expect(event!.progress.done).toBe(event!.progress.total);

    dataOf(
      await api.graphql(key, 'mutation ($id: ID!) { discardClonedOrganization(cloneId: $id) { id } }', {
        id: completedId,
      }),
    );
    const discarded = follow(connect(), completedId);
    expect(await discarded.ended).toEqual({});
    expect(discarded.received.map((received) => received.event)).toEqual([
      expect.objectContaining({ status: 'DISCARDED', terminal: true, totals: event!.totals }),
    ]);
    expect(api.runtime.services.cloneProgress.followers(completedId)).toBe(0);
  });

  it("refuses another provider's clone and unknown ids with NOT_FOUND before anything streams", async () => {
    const subscribe = vi.spyOn(api.runtime.store, 'subscribeToStream');
    try {
      for (const [apiKey, cloneId] of [
        [otherProviderKey, completedId],
        [key, 'no-such-clone'],
      ] as const) {
        const refused = follow(connect(apiKey), cloneId);
        await refused.ended;
        expect(refused.received).toEqual([]);
        expect(refused.errors.map((error) => error.extensions)).toEqual([
          { code: 'NOT_FOUND', field: 'cloneId' },
        ]);
      }
      const tooLong = follow(connect(), 'c'.repeat(129));
      await tooLong.ended;
      expect(tooLong.errors.map((error) => error.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', field: 'cloneId' },
      ]);
      expect(subscribe).not.toHaveBeenCalled();
    } finally {
      subscribe.mockRestore();
    }
  });

  it('executes each update once per selection, and gives each follower its own selection', async () => {
    const requested = await requestClone('Progress Shared');
    const narrowQuery = `subscription Narrow($cloneId: ID!) { cloneProgress(cloneId: $cloneId) { status progress { done } } }`;
    const executions = vi.spyOn(CloneProgressResolver.prototype, 'cloneProgress');
    try {
      const full = [follow(connect(), requested.id), follow(connect(), requested.id)];
      const narrow: Record<string, unknown>[] = [];
      const narrowEnded = new Promise<void>((resolve, reject) => {
        connect().subscribe(
          { query: narrowQuery, variables: { cloneId: requested.id } },
          {
            next: (result) => void narrow.push(result.data!.cloneProgress as Record<string, unknown>),
            error: reject,
            complete: resolve,
          },
        );
      });
      await vi.waitFor(() =>
        expect([...full.map((f) => f.received.length), narrow.length]).toEqual([1, 1, 1]),
      );
      const runner = new CloneRunner({ store: otherProcessStore, maxBatchItems: 2, onStep: () => sleep(5) });
      await runner.start();
      try {
        await Promise.all([...full.map((f) => f.ended), narrowEnded]);
      } finally {
        await runner.stop();
      }
      for (const update of narrow) expect(Object.keys(update).sort()).toEqual(['progress', 'status']);
      expect(narrow.at(-1)).toEqual({ status: 'COMPLETED', progress: { done: requested.total } });
      for (const f of full) {
        expect(f.received.at(-1)!.event).toMatchObject({ status: 'COMPLETED', terminal: true });
        expect(Object.keys(f.received[0]!.event)).toContain('auditDigest');
      }
      const delivered = full[0]!.received.length + full[1]!.received.length + narrow.length;
      // Without sharing every delivered update is an execution of its own.
      expect(executions.mock.calls.length).toBeLessThan(delivered);
      expect(executions.mock.calls.length).toBeGreaterThanOrEqual(full[0]!.received.length);
    } finally {
      executions.mockRestore();
    }
  });

  it('shares one store subscription among followers and ends it when the last one leaves', async () => {
    const pending = await requestClone('Progress Pending');
    const subscribe = vi.spyOn(api.runtime.store, 'subscribeToStream');
    try {
      const first = connect();
      const second = connect();
      const one = follow(first, pending.id);
      const two = follow(second, pending.id);
      await vi.waitFor(() => {
        expect(one.received).toHaveLength(1);
        expect(two.received).toHaveLength(1);
      });
      expect(two.received[0]!.event).toMatchObject({ status: 'PENDING', terminal: false });
      expect(subscribe.mock.calls.map(([streamId]) => streamId)).toEqual([cloneStreamId(pending.id)]);
      const storeSubscription = subscribe.mock.results[0]!.value as unknown;
      expect(storeSubscription).toBeInstanceOf(SubscriptionQueue);
      const isEnded = () => (storeSubscription as SubscriptionQueue).isEnded;
      const feeds = api.runtime.services.cloneProgress;
      expect(feeds.followers(pending.id)).toBe(2);

      // A client that disconnects leaves; the other one still follows.
      await first.dispose();
      await vi.waitFor(() => expect(feeds.followers(pending.id)).toBe(1));
      expect(isEnded()).toBe(false);

      // The last one unsubscribes: the store subscription ends.
      two.unsubscribe();
      await vi.waitFor(() => expect(isEnded()).toBe(true));
      expect(feeds.followers(pending.id)).toBe(0);

      // A new follower subscribes afresh, and its disconnection ends that subscription too.
      const third = connect();
      const three = follow(third, pending.id);
      await vi.waitFor(() => expect(three.received).toHaveLength(1));
      expect(subscribe).toHaveBeenCalledTimes(2);
      await third.dispose();
      const again = subscribe.mock.results[1]!.value as SubscriptionQueue;
      await vi.waitFor(() => expect(again.isEnded).toBe(true));
      expect(feeds.followers(pending.id)).toBe(0);
    } finally {
      subscribe.mockRestore();
    }
  });
});
