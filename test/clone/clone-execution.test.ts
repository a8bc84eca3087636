/** A clone from request to completion on each adapter: the new organization, the audit, the runner's ways of finding work. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CloneService } from '../../src/application/clones.js';
import { organizationStreamId, providerStreamId } from '../../src/application/streams.js';
import { CloneRunner } from '../../src/clone/runner.js';
import type { CloneStep } from '../../src/clone/runner.js';
import { auditFromPlan } from '../../src/domain/clone/audit.js';
import { cloneStreamId } from '../../src/domain/clone/decider.js';
import { organizationDecider } from '../../src/domain/organization/decider.js';
import { providerDecider } from '../../src/domain/provider/decider.js';
import { loadAggregate } from '../../src/application/command-handler.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { richSource, templateLookup } from '../domain/clone/fixtures.js';
import type { CloneWorld } from '../support/clone-world.js';
import {
  PROVIDER_ID,
  REQUESTER,
  STORE_KINDS,
  callerOf,
  cloneStateOf,
  expectCloneOfPlan,
  openWorld,
  readAll,
  seedProvider,
  seedSource,
} from '../support/clone-world.js';

const templates = templateLookup();

describe.each(STORE_KINDS)('a clone on %s', (kind) => {
  let world: CloneWorld;
  const runners: CloneRunner[] = [];

  async function setUp() {
    world = await openWorld(kind);
    await seedProvider(world.store);
    await seedSource(world.store, richSource());
    return new CloneService({ store: world.store, templates });
  }

  function runner(options: Partial<ConstructorParameters<typeof CloneRunner>[0]> = {}) {
    const created = new CloneRunner({ store: world.store, templates, maxBatchItems: 4, ...options });
    runners.push(created);
    return created;
  }

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((created) => created.stop()));
    await world.close();
  });

  it('copies the rich source into a new organization that holds exactly the preview, and audits it item for item', async () => {
    const service = await setUp();
    const input = { sourceOrganizationId: 'org-source', name: '  Copy of Source ', idempotencyKey: 'rich-1' };
    const preview = await service.preview(callerOf(), input);
    expect(preview.preflight.filter((finding) => finding.severity === 'ERROR')).toEqual([]);

    const steps: CloneStep[] = [];
    const requested = await service.requestClone(callerOf(), { ...input, expectedPlanId: preview.planId });
    expect(requested).toMatchObject({
      cloneId: preview.cloneId,
      newOrganizationId: preview.newOrganizationId,
      planId: preview.planId,
      status: 'requested',
      created: true,
    });
    const started = performance.now();
    const result = await runner({ onStep: (step) => void steps.push(step) }).runToCompletion(
      requested.cloneId,
    );
    console.log(
      `[${kind}] clone of the rich fixture (${preview.items.length} items): ${(performance.now() - started).toFixed(1)} ms`,
    );

    expect(result.outcome).toBe('completed');
    expect(result.state.audit.rows()).toStrictEqual(auditFromPlan(preview));
    await expectCloneOfPlan(world.store, preview);

    // One append per stream per batch, organization first; then provisioned, then completed.
    const batches = Math.ceil(preview.items.length / 4);
    expect(steps.map((step) => step.action)).toEqual([
      'START',
      ...Array.from({ length: batches }, () => ['WRITE_ORGANIZATION', 'RECORD_ITEMS']).flat(),
      'PROVISION',
      'COMPLETE',
    ]);
    const organization = await loadAggregate(
      world.store,
      organizationStreamId(preview.newOrganizationId),
      organizationDecider,
    );
    expect(organization.state).toMatchObject({
      status: 'active',
      displayName: 'Copy of Source',
      providerId: PROVIDER_ID,
      clonedFrom: {
        cloneId: preview.cloneId,
        sourceOrganizationId: 'org-source',
        sourceVersion: preview.sourceVersion,
      },
    });
  });

  it('runs a requested clone in the background, with nobody waiting for it', async () => {
    const service = await setUp();
    const finished: string[] = [];
    const background = new CloneRunner({
      store: world.store,
      templates,
      metrics: { cloneFinished: (outcome) => void finished.push(outcome) },
    });
    runners.push(background);
    await background.start();
    const requested = await service.requestClone(callerOf(), {
      sourceOrganizationId: 'org-source',
      name: 'Background',
    });
    await expect.poll(() => finished, { timeout: 10_000 }).toEqual(['completed']);
    expect((await cloneStateOf(world.store, requested.cloneId)).status).toBe('completed');
  });

  it('retries soon a run the store interrupted without a trace, instead of waiting for it to go stale', async () => {
    const service = await setUp();
    let outage = true;
    const flaky: EventStore = Object.create(world.store) as EventStore;
    flaky.appendToStream = (...args) => {
      if (outage) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      return world.store.appendToStream(...args);
    };
    const finished: string[] = [];
    const background = runner({
      store: flaky,
      staleAfterMs: 60_000,
      retryDelayMs: 100,
      scanIntervalMs: 50,
      metrics: { cloneFinished: (outcome) => void finished.push(outcome) },
    });
    await background.start();
    const requested = await service.requestClone(callerOf(), {
      sourceOrganizationId: 'org-source',
      name: 'Through an outage',
    });
    await sleep(300);
    expect((await cloneStateOf(world.store, requested.cloneId)).status).toBe('requested');
    outage = false;
    await expect.poll(() => finished, { timeout: 5_000 }).toEqual(['completed']);
  });

  it('on start, resumes the clones a stopped runner left unfinished', async () => {
    const service = await setUp();
    const requested = await service.requestClone(callerOf(), {
      sourceOrganizationId: 'org-source',
      name: 'Resumed',
    });
    const interrupted = runner({
      onStep: (step) => (step.action === 'RECORD_ITEMS' && step.fromIndex === 8 ? stop() : undefined),
    });
    const stop = () => void interrupted.stop();
    await expect(interrupted.runToCompletion(requested.cloneId)).rejects.toMatchObject({
      code: 'CLONE_INTERRUPTED',
    });
    expect((await cloneStateOf(world.store, requested.cloneId)).status).toBe('running');

    const finished: string[] = [];
    await runner({ metrics: { cloneFinished: (outcome) => void finished.push(outcome) } }).start();
    await expect.poll(() => finished, { timeout: 10_000 }).toEqual(['completed']);
    expect((await cloneStateOf(world.store, requested.cloneId)).status).toBe('completed');
  });

  it('links a LINKED requester to the organization it clones', async () => {
    world = await openWorld(kind);
    const linked = { ...REQUESTER, orgAccess: 'LINKED' as const, linkedOrganizationIds: ['org-source'] };
    await seedProvider(world.store, { administrators: [linked] });
    await seedSource(world.store, richSource());
    const service = new CloneService({ store: world.store, templates });
    const requested = await service.requestClone(callerOf(linked), {
      sourceOrganizationId: 'org-source',
      name: 'Linked',
    });
    await runner().runToCompletion(requested.cloneId);
    const provider = await loadAggregate(world.store, providerStreamId(PROVIDER_ID), providerDecider);
    expect(provider.state.administrators[linked.id]!.linkedOrganizationIds).toEqual([
      'org-source',
      requested.newOrganizationId,
    ]);
  });

  it('keeps the new organization provisioning, refusing every change, until the clone has written all of it', async () => {
    const service = await setUp();
    const requested = await service.requestClone(callerOf(), {
      sourceOrganizationId: 'org-source',
      name: 'Half done',
    });
    const halfway = runner({
      onStep: (step) =>
        step.action === 'RECORD_ITEMS' && step.fromIndex === 12 ? void halfway.stop() : undefined,
    });
    await expect(halfway.runToCompletion(requested.cloneId)).rejects.toMatchObject({
      code: 'CLONE_INTERRUPTED',
    });
    const organization = await loadAggregate(
      world.store,
      organizationStreamId(requested.newOrganizationId),
      organizationDecider,
    );
    expect(organization.state.status).toBe('provisioning');
    expect(() =>
      organizationDecider.decide(
        { type: 'SetFeatures', data: { features: { remoteAssist: false } } },
        organization.state,
        { seal: () => ({ sealed: '' }) },
      ),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'ORGANIZATION_BEING_CLONED' }));
    await runner().runToCompletion(requested.cloneId);
    expect((await readAll(world.store, cloneStreamId(requested.cloneId))).at(-1)!.type).toBe(
      'CloneCompleted',
    );
  });
});
