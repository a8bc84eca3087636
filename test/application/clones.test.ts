/**
 * The clone service (SPEC §3, §5, §7) on each adapter: previews write nothing, requests are
 * authorized, idempotent and refused with the right code when the input is bad or outdated, and a
 * discard hides the organization a clone created and frees its name.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleCommand, loadAggregate } from '../../src/application/command-handler.js';
import type { ClonePreviewInput } from '../../src/application/clones.js';
import { CloneService, idempotentCloneId } from '../../src/application/clones.js';
import { OrganizationService } from '../../src/application/organizations.js';
import { organizationStreamId, providerStreamId } from '../../src/application/streams.js';
import { CloneRunner } from '../../src/clone/runner.js';
import { cloneEventMetadata } from '../../src/clone/clone-stream.js';
import { cloneDecider, cloneStreamId } from '../../src/domain/clone/decider.js';
import { cloneEventId } from '../../src/domain/clone/events.js';
import { verifyCloneHistory } from '../../src/domain/clone/verification.js';
import type { AdminRole, BillingPlan } from '../../src/domain/organization/model.js';
import { ADMIN_ROLES } from '../../src/domain/organization/model.js';
import { organizationDecider } from '../../src/domain/organization/decider.js';
import { providerDecider } from '../../src/domain/provider/decider.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { clonesProjection } from '../../src/projections/clones/projection.js';
import { CloneReadModel } from '../../src/projections/clones/queries.js';
import { organizationsProjection } from '../../src/projections/organizations/projection.js';
import { OrganizationReadModel } from '../../src/projections/organizations/queries.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { providersProjection } from '../../src/projections/providers/projection.js';
import type { ReadModelDb } from '../../src/projections/read-model-db.js';
import { openReadModelDb } from '../../src/projections/read-model-db.js';
import { Sealer } from '../../src/security/sealer.js';
import { organization, richSource, templateLookup } from '../domain/clone/fixtures.js';
import type { CloneWorld, SeededAdministrator } from '../support/clone-world.js';
import {
  PROVIDER_ID,
  REQUESTER,
  STORE_KINDS,
  callerOf,
  openWorld,
  readAll,
  seedProvider,
  seedSource,
} from '../support/clone-world.js';

const templates = templateLookup();
const SOURCE_ID = 'org-source';
const OTHER_PROVIDER_ID = 'provider-2';

/** One administrator of every role, the requester (Administrator With Billing) among them. */
const ADMINS_BY_ROLE: SeededAdministrator[] = ADMIN_ROLES.map((roleName) =>
  roleName === REQUESTER.roleName
    ? REQUESTER
    : {
        id: `admin-${roleName.toLowerCase().replaceAll(' ', '-')}`,
        email: `${roleName.toLowerCase().replaceAll(' ', '.')}@msp.example`,
        roleName,
      },
);

/** 'ok', or the code (and reason) the call was refused with. */
async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (error) {
    const { code, reason } = error as { code?: string; reason?: string };
    if (code === undefined) throw error;
    return reason === undefined ? code : `${code} ${reason}`;
  }
}

/** Every role's outcome of the same call. */
async function roleMatrix(call: (admin: SeededAdministrator) => Promise<unknown>) {
  const matrix: Partial<Record<AdminRole, string>> = {};
  for (const admin of ADMINS_BY_ROLE) matrix[admin.roleName] = await outcomeOf(() => call(admin));
  return matrix;
}

function rolesExpecting(allowed: readonly AdminRole[], refusal: string) {
  return Object.fromEntries(ADMIN_ROLES.map((role) => [role, allowed.includes(role) ? 'ok' : refusal]));
}

const seedMetadata = () => ({ correlationId: randomUUID(), causationId: randomUUID(), actor: 'seed' });

async function changePlan(store: EventStore, plan: BillingPlan) {
  await handleCommand({
    store,
    streamId: providerStreamId(PROVIDER_ID),
    decider: providerDecider,
    command: { type: 'ChangeBillingPlan', data: { plan } },
    context: undefined,
    metadata: seedMetadata(),
    now: () => new Date(),
  });
}

async function eventTypes(store: EventStore): Promise<string[]> {
  const types: string[] = [];
  for await (const event of store.readAll()) types.push(event.type);
  return types;
}

/** An administrator's edit of an organization, outside any clone. */
async function editOrganization(store: EventStore, organizationId: string) {
  await handleCommand({
    store,
    streamId: organizationStreamId(organizationId),
    decider: organizationDecider,
    command: { type: 'SetFeatures', data: { features: { systemInsights: true } } },
    context: new Sealer(randomBytes(32)),
    metadata: { ...seedMetadata(), actor: REQUESTER.id },
    now: () => new Date(),
  });
}

describe.each(STORE_KINDS)('the clone service on %s', (kind) => {
  let world: CloneWorld | undefined;
  let directory: string | undefined;
  let db: ReadModelDb | undefined;
  let projections: ProjectionRunner | undefined;
  const runners: CloneRunner[] = [];

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await projections?.stop();
    db?.close();
    await world?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
    world = directory = db = projections = undefined;
  });

  /** A provider (PAID unless told), its administrators, the rich source, and the service with read models. */
  async function given(options: { plan?: BillingPlan; administrators?: SeededAdministrator[] } = {}) {
    world = await openWorld(kind);
    await seedProvider(world.store, options);
    await seedSource(world.store, richSource());
    directory = await mkdtemp(join(tmpdir(), 'orgclone-clones-'));
    db = openReadModelDb(join(directory, 'read.db'));
    projections = new ProjectionRunner({
      store: world.store,
      db,
      projections: [organizationsProjection(), providersProjection(), clonesProjection],
      log: () => {},
    });
    await projections.start();
    const service = new CloneService({ store: world.store, templates, projections });
    return {
      store: world.store,
      service,
      organizationService: new OrganizationService({
        store: world.store,
        db,
        projections,
        sealer: new Sealer(randomBytes(32)),
      }),
      organizations: new OrganizationReadModel(db),
      clones: new CloneReadModel(db),
    };
  }

  function runner(store: EventStore) {
    const created = new CloneRunner({ store, templates });
    runners.push(created);
    return created;
  }

  /** Runs `call` and checks it appended nothing, anywhere. */
  async function expectNothingWritten<T>(store: EventStore, call: () => Promise<T>): Promise<T> {
    const head = await store.headPosition();
    const result = await call();
    expect(await store.headPosition()).toBe(head);
    return result;
  }

  const input = (parts: Partial<ClonePreviewInput> = {}): ClonePreviewInput => ({
    sourceOrganizationId: SOURCE_ID,
    name: 'Copy of Source',
    ...parts,
  });

  describe('preview', () => {
    it('writes nothing and shows the same plan, with the same planId, every time', async () => {
      const { store, service } = await given();

      const first = await expectNothingWritten(store, () => service.preview(callerOf(), input()));
      const second = await expectNothingWritten(store, () => service.preview(callerOf(), input()));

      expect(second).toStrictEqual(first);
      expect(first.planId).toMatch(/^[0-9a-f]{64}$/);
      expect(first.preflight.filter((finding) => finding.severity === 'ERROR')).toEqual([]);
      // The key the request will carry makes the preview show that clone's ids, for the same plan.
      const keyed = await service.preview(callerOf(), input({ idempotencyKey: 'preview-key' }));
      expect(keyed.planId).toBe(first.planId);
      expect(keyed.cloneId).toBe(idempotentCloneId(PROVIDER_ID, 'preview-key'));
    });

    it('is allowed to every role but Billing Only', async () => {
      const { store, service } = await given({ administrators: ADMINS_BY_ROLE });

      const matrix = await expectNothingWritten(store, () =>
        roleMatrix((admin) => service.preview(callerOf(admin), input())),
      );

      expect(matrix).toEqual(
        rolesExpecting(
          ADMIN_ROLES.filter((role) => role !== 'Billing Only'),
          'FORBIDDEN',
        ),
      );
    });

    it('on an unpaid plan still shows the plan, with the plan as a blocking finding', async () => {
      const { service } = await given({ plan: 'TRIAL' });

      const preview = await service.preview(callerOf(), input());

      expect(preview.preflight).toContainEqual(
        expect.objectContaining({ code: 'PLAN_NOT_PAID', severity: 'ERROR' }),
      );
      expect(preview.items.length).toBeGreaterThan(0);
    });
  });

  describe('requestClone', () => {
    it('is allowed to Administrator With Billing only', async () => {
      const { store, service } = await given({ administrators: ADMINS_BY_ROLE });

      const matrix = await roleMatrix((admin) =>
        service.requestClone(callerOf(admin), input({ name: `Copy by ${admin.id}` })),
      );

      expect(matrix).toEqual(rolesExpecting(['Administrator With Billing'], 'FORBIDDEN'));
      expect((await eventTypes(store)).filter((type) => type === 'CloneRequested')).toHaveLength(1);
    });

    it.each<BillingPlan>(['TRIAL', 'FREE'])(
      'on a %s plan is PAYMENT_REQUIRED for Administrator With Billing and writes nothing',
      async (plan) => {
        const { store, service } = await given({ plan, administrators: ADMINS_BY_ROLE });

        const matrix = await expectNothingWritten(store, () =>
          roleMatrix((admin) => service.requestClone(callerOf(admin), input())),
        );

        expect(matrix).toEqual({
          ...rolesExpecting([], 'FORBIDDEN'),
          'Administrator With Billing': 'PAYMENT_REQUIRED',
        });
      },
    );

    it('answers NOT_FOUND for the source of another provider, for previews and requests alike', async () => {
      const { store, service } = await given();
      await seedProvider(store, { providerId: OTHER_PROVIDER_ID });
      await seedSource(
        store,
        organization({ id: 'org-other', providerId: OTHER_PROVIDER_ID, displayName: 'Other' }),
      );

      const other = input({ sourceOrganizationId: 'org-other' });
      await expectNothingWritten(store, async () => {
        await expect(service.preview(callerOf(), other)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(service.requestClone(callerOf(), other)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(
          service.requestClone(callerOf(), input({ sourceOrganizationId: 'org-missing' })),
        ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });
    });

    it('answers NOT_FOUND to a LINKED administrator for a source it is not linked to', async () => {
      const linked: SeededAdministrator = {
        ...REQUESTER,
        orgAccess: 'LINKED',
        linkedOrganizationIds: ['org-elsewhere'],
      };
      const { store, service } = await given({ administrators: [linked] });

      await expectNothingWritten(store, async () => {
        await expect(service.preview(callerOf(linked), input())).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(service.requestClone(callerOf(linked), input())).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });
    });

    it('with the same idempotency key and the same input returns the same operation and requests once', async () => {
      const { store, service } = await given();
      const request = input({ name: ' Keyed copy ', idempotencyKey: 'key-1' });

      const first = await service.requestClone(callerOf(), request);
      const second = await expectNothingWritten(store, () =>
        service.requestClone(callerOf(), { ...request, name: 'Keyed copy' }),
      );

      expect(first).toMatchObject({
        cloneId: idempotentCloneId(PROVIDER_ID, 'key-1'),
        status: 'requested',
        created: true,
      });
      expect(first.position).not.toBeNull();
      expect(second).toEqual({ ...first, created: false, position: null });
      const events = await readAll(store, cloneStreamId(first.cloneId));
      expect(events.map((event) => event.type)).toEqual(['CloneRequested']);
    });

    it('with the same idempotency key and another input is CONFLICT IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
      const { store, service } = await given();
      const request = input({ idempotencyKey: 'key-2' });
      await service.requestClone(callerOf(), request);

      const refusals = await expectNothingWritten(store, async () => [
        await outcomeOf(() => service.requestClone(callerOf(), { ...request, name: 'Another name' })),
        await outcomeOf(() =>
          service.requestClone(callerOf(), { ...request, selection: { excludedCategories: ['COMMANDS'] } }),
        ),
        await outcomeOf(() =>
          service.requestClone(callerOf(), { ...request, expectedPlanId: 'f'.repeat(64) }),
        ),
      ]);

      expect(refusals).toEqual(Array(3).fill('CONFLICT IDEMPOTENCY_KEY_REUSED'));
    });

    it('sent twice at once with the same key and input, requests one clone', async () => {
      const { store, service } = await given();
      const request = input({ idempotencyKey: 'twice' });

      const answers = await Promise.all([
        service.requestClone(callerOf(), request),
        service.requestClone(callerOf(), request),
      ]);

      expect(answers[1]!.cloneId).toBe(answers[0]!.cloneId);
      expect((await eventTypes(store)).filter((type) => type === 'CloneRequested')).toHaveLength(1);
    });

    it('sent twice at once with the same key and different names, leaves the refused name free', async () => {
      const { service } = await given();

      const answers = await Promise.allSettled([
        service.requestClone(callerOf(), input({ idempotencyKey: 'race', name: 'Racer A' })),
        service.requestClone(callerOf(), input({ idempotencyKey: 'race', name: 'Racer B' })),
      ]);

      const refused = answers.findIndex((answer) => answer.status === 'rejected');
      expect(answers.map((answer) => answer.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((answers[refused] as PromiseRejectedResult).reason).toMatchObject({
        code: 'CONFLICT',
        reason: 'IDEMPOTENCY_KEY_REUSED',
      });
      const refusedName = refused === 0 ? 'Racer A' : 'Racer B';
      await expect(service.requestClone(callerOf(), input({ name: refusedName }))).resolves.toMatchObject({
        created: true,
      });
    });

    it('with the planId of a preview taken before the source changed is CONFLICT PLAN_OUTDATED and writes nothing', async () => {
      const { store, service } = await given();
      const preview = await service.preview(callerOf(), input());
      await editOrganization(store, SOURCE_ID);

      await expectNothingWritten(store, () =>
        expect(
          service.requestClone(callerOf(), { ...input(), expectedPlanId: preview.planId }),
        ).rejects.toMatchObject({ code: 'CONFLICT', reason: 'PLAN_OUTDATED', field: 'expectedPlanId' }),
      );

      const again = await service.preview(callerOf(), input());
      expect(again.planId).not.toBe(preview.planId);
      const requested = await service.requestClone(callerOf(), { ...input(), expectedPlanId: again.planId });
      expect(requested).toMatchObject({ planId: again.planId, sourceVersion: again.sourceVersion });
    });

    it('refuses bad input with the field to blame and writes nothing', async () => {
      const { store, service } = await given();

      const refusals = await expectNothingWritten(store, async () => {
        const refusal = async (parts: Partial<ClonePreviewInput>) => {
          try {
            await service.requestClone(callerOf(), input(parts));
          } catch (error) {
            const { code, field } = error as { code: string; field?: string };
            return `${code} ${field}`;
          }
          return 'accepted';
        };
        return {
          empty: await refusal({ name: '' }),
          blank: await refusal({ name: ' \t ' }),
          long: await refusal({ name: 'x'.repeat(101) }),
          spacedKey: await refusal({ idempotencyKey: 'has a space' }),
          longKey: await refusal({ idempotencyKey: 'k'.repeat(201) }),
        };
      });

      expect(refusals).toEqual({
        empty: 'VALIDATION_FAILED name',
        blank: 'VALIDATION_FAILED name',
        long: 'VALIDATION_FAILED name',
        spacedKey: 'VALIDATION_FAILED idempotencyKey',
        longKey: 'VALIDATION_FAILED idempotencyKey',
      });
      // The preview shows the missing name as a blocking finding rather than refusing to preview.
      const preview = await service.preview(callerOf(), input({ name: '  ' }));
      expect(preview.preflight).toContainEqual(
        expect.objectContaining({ code: 'NAME_REQUIRED', severity: 'ERROR', field: 'name' }),
      );
      // The longest name allowed is accepted.
      await expect(service.requestClone(callerOf(), input({ name: 'x'.repeat(100) }))).resolves.toMatchObject(
        {
          created: true,
        },
      );
    });

    it('refuses a name another clone holds, case-insensitively, with CONFLICT NAME_TAKEN', async () => {
      const { store, service } = await given();
      const held = input({ name: 'Acme  Copy', idempotencyKey: 'holder' });
      await service.requestClone(callerOf(), held);

      const preview = await service.preview(callerOf(), input({ name: 'ACME copy' }));
      expect(preview.preflight).toContainEqual(
        expect.objectContaining({ code: 'NAME_TAKEN', severity: 'ERROR', field: 'name' }),
      );
      await expectNothingWritten(store, () =>
        expect(service.requestClone(callerOf(), input({ name: ' acme COPY ' }))).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'NAME_TAKEN',
          field: 'name',
        }),
      );
      // The clone holding the name is not in its own way: its preview and its repeated request pass.
      const own = await service.preview(callerOf(), held);
      expect(own.preflight.filter((finding) => finding.code === 'NAME_TAKEN')).toEqual([]);
      await expect(service.requestClone(callerOf(), held)).resolves.toMatchObject({ created: false });
    });

    it('refuses the name of an organization the organization service created, case-insensitively', async () => {
      const { store, service, organizationService } = await given();
      await projections!.waitForPosition((await store.headPosition())!, { timeoutMs: 10_000 });
      await organizationService.createOrganization(callerOf(), { displayName: 'Branch Office' });

      await expectNothingWritten(store, () =>
        expect(service.requestClone(callerOf(), input({ name: 'branch   OFFICE' }))).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'NAME_TAKEN',
        }),
      );
    });

    it('warns about a deselected item id the source does not have, and clones anyway', async () => {
      const { service } = await given();
      const request = input({ selection: { excludedItemIds: ['cmd-root', 'no-such-item'] } });

      const preview = await service.preview(callerOf(), request);
      const requested = await service.requestClone(callerOf(), {
        ...request,
        expectedPlanId: preview.planId,
      });

      expect(preview.preflight).toContainEqual(
        expect.objectContaining({
          code: 'UNKNOWN_ITEM',
          severity: 'WARNING',
          field: 'selection.excludedItemIds',
        }),
      );
      expect(requested).toMatchObject({ created: true, planId: preview.planId });
    });
  });

  describe('discardClonedOrganization', () => {
    /** Administrator With Billing, but linked to the source only, not to the organization the clone creates. */
    const linkedToSource: SeededAdministrator = {
      id: 'admin-linked',
      email: 'linked@msp.example',
      roleName: 'Administrator With Billing',
      orgAccess: 'LINKED',
      linkedOrganizationIds: [SOURCE_ID],
    };

    async function completedClone(name = 'To discard') {
      const context = await given({ administrators: [...ADMINS_BY_ROLE, linkedToSource] });
      const requested = await context.service.requestClone(callerOf(), input({ name }));
      const result = await runner(context.store).runToCompletion(requested.cloneId);
      expect(result.outcome).toBe('completed');
      return { ...context, requested };
    }

    it('hides the organization from listings and frees its name; history stays', async () => {
      const { store, service, organizations, clones, requested } = await completedClone();
      const listed = () =>
        organizations
          .listOrganizations(PROVIDER_ID, { first: 10 })
          .map((listedOrganization) => listedOrganization.id);
      await projections!.waitForPosition((await store.headPosition())!, { timeoutMs: 10_000 });
      expect(listed()).toContain(requested.newOrganizationId);

      const discarded = await service.discard(callerOf(), requested.cloneId);

      expect(discarded).toMatchObject({ cloneId: requested.cloneId, status: 'discarded', created: true });
      // The response reflects its own write: the read models show it already.
      expect(listed()).toEqual([SOURCE_ID]);
      expect(clones.getCloneOperation(requested.cloneId)).toMatchObject({
        status: 'discarded',
        discarded: { by: REQUESTER.id, forced: false },
      });
      const organization = await loadAggregate(
        store,
        organizationStreamId(requested.newOrganizationId),
        organizationDecider,
      );
      expect(organization.state.status).toBe('discarded');
      const history = await readAll(store, cloneStreamId(requested.cloneId));
      expect(history.at(0)!.type).toBe('CloneRequested');
      expect(history.at(-2)!.type).toBe('CloneCompleted');
      expect(history.at(-1)!.type).toBe('CloneDiscarded');

      const preview = await service.preview(callerOf(), input({ name: 'TO DISCARD' }));
      expect(preview.preflight.filter((finding) => finding.code === 'NAME_TAKEN')).toEqual([]);
      // A discarded organization is no source for another clone.
      const ofDiscarded = input({
        sourceOrganizationId: requested.newOrganizationId,
        name: 'Copy of discarded',
      });
      expect((await service.preview(callerOf(), ofDiscarded)).preflight).toContainEqual(
        expect.objectContaining({ code: 'SOURCE_DISCARDED', severity: 'ERROR' }),
      );
      await expectNothingWritten(store, () =>
        expect(service.requestClone(callerOf(), ofDiscarded)).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'ORGANIZATION_DISCARDED',
        }),
      );
      await expect(service.requestClone(callerOf(), input({ name: 'to discard' }))).resolves.toMatchObject({
        created: true,
      });
    });

    it('is CONFLICT while the clone is still running', async () => {
      const { store, service } = await given();
      const requested = await service.requestClone(callerOf(), input());

      await expectNothingWritten(store, () =>
        expect(service.discard(callerOf(), requested.cloneId)).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'CLONE_IN_PROGRESS',
        }),
      );
    });

    it('of an organization edited after the clone is CONFLICT unless forced', async () => {
      const { store, service, requested } = await completedClone();
      await editOrganization(store, requested.newOrganizationId);

      await expectNothingWritten(store, () =>
        expect(service.discard(callerOf(), requested.cloneId)).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'ORGANIZATION_CHANGED_SINCE_CLONE',
          field: 'force',
        }),
      );
      const forced = await service.discard(callerOf(), requested.cloneId, true);

      expect(forced).toMatchObject({ status: 'discarded', created: true });
      const last = (await readAll(store, cloneStreamId(requested.cloneId))).at(-1)!;
      expect(last).toMatchObject({ type: 'CloneDiscarded', data: { forced: true } });
    });

    it('repeated, changes nothing and answers the same operation', async () => {
      const { store, service, requested } = await completedClone();
      const first = await service.discard(callerOf(), requested.cloneId);

      const again = await expectNothingWritten(store, () => service.discard(callerOf(), requested.cloneId));
      const forcedAgain = await expectNothingWritten(store, () =>
        service.discard(callerOf(), requested.cloneId, true),
      );

      expect(again).toEqual({ ...first, created: false, position: null });
      expect(forcedAgain).toEqual(again);
    });

    it('repeated, finishes a discard that stopped after recording it on the clone', async () => {
      const { store, service, requested } = await completedClone();
      // What the first half of a discard appends; the process died before discarding the organization.
      await handleCommand({
        store,
        streamId: cloneStreamId(requested.cloneId),
        decider: cloneDecider,
        command: {
          type: 'DiscardClone',
          data: { discardedBy: REQUESTER.id, organizationChangedSinceClone: false, force: false },
        },
        context: undefined,
        metadata: { ...seedMetadata(), actor: REQUESTER.id },
        now: () => new Date(),
        eventIds: (events) => events.map(cloneEventId),
        eventMetadata: cloneEventMetadata,
      });
      const nameTaken = async () =>
        (await service.preview(callerOf(), input({ name: 'To discard' }))).preflight.some(
          (finding) => finding.code === 'NAME_TAKEN',
        );
      expect(await nameTaken()).toBe(true);

      const finished = await service.discard(callerOf(), requested.cloneId);

      expect(finished).toMatchObject({ status: 'discarded', created: false });
      expect(finished.position).not.toBeNull();
      const organizationEvents = await readAll(store, organizationStreamId(requested.newOrganizationId));
      expect(organizationEvents.at(-1)!.type).toBe('OrganizationDiscarded');
      expect(await nameTaken()).toBe(false);
      expect(verifyCloneHistory(await readAll(store, cloneStreamId(requested.cloneId)))).toMatchObject({
        valid: true,
      });
    });

    it('is allowed to Administrator With Billing only, on a PAID plan; NOT_FOUND for another provider', async () => {
      const { store, service, requested } = await completedClone();
      await seedProvider(store, { providerId: OTHER_PROVIDER_ID });

      // Administrator With Billing, whose discard would succeed, is asked last, below.
      const byRole = await expectNothingWritten(store, () =>
        roleMatrix(async (admin) => {
          if (admin.roleName !== 'Administrator With Billing') {
            await service.discard(callerOf(admin), requested.cloneId);
          }
        }),
      );
      expect(byRole).toEqual(rolesExpecting(['Administrator With Billing'], 'FORBIDDEN'));
      await expectNothingWritten(store, async () => {
        await expect(
          service.discard(callerOf(REQUESTER, OTHER_PROVIDER_ID), requested.cloneId),
        ).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(service.discard(callerOf(), 'no-such-clone')).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        await expect(service.discard(callerOf(linkedToSource), requested.cloneId)).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });

      await changePlan(store, 'TRIAL');
      await expectNothingWritten(store, () =>
        expect(service.discard(callerOf(), requested.cloneId)).rejects.toMatchObject({
          code: 'PAYMENT_REQUIRED',
        }),
      );
      await changePlan(store, 'PAID');
      await expect(service.discard(callerOf(), requested.cloneId)).resolves.toMatchObject({
        status: 'discarded',
        created: true,
      });
    });
  });
});
