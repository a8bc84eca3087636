import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organizationStreamId } from '../../../src/application/streams.js';
import type { EventData } from '../../../src/eventstore/types.js';
import { defaultSettings } from '../../../src/domain/organization/defaults.js';
import { organizationsProjection } from '../../../src/projections/organizations/projection.js';
import {
  OrganizationReadModel,
  organizationListKey,
} from '../../../src/projections/organizations/queries.js';
import { dumpReadModel } from '../../../src/projections/read-model-db.js';
import { rebuildProjections } from '../../../src/projections/rebuild.js';
import type { ProjectionFixture } from '../support/fixture.js';
import { projectionFixture } from '../support/fixture.js';
import {
  CLONED,
  DISCARDED,
  MARKERS,
  ORGANIZATION_EVENT_TYPES,
  OrganizationHistory,
  PROVIDER,
  RICH,
  STILL_CLONING,
} from './history.js';

const WAIT = { timeoutMs: 10_000 };

let fixture: ProjectionFixture;
beforeEach(async () => {
  fixture = await projectionFixture();
});
afterEach(async () => {
  await fixture.close();
});

/** Writes the histories while a runner follows them in small batches; returns its read model. */
async function projectIncrementally() {
  const db = fixture.openDb('incremental.db');
  const runner = await fixture.startRunner({ db, projections: [organizationsProjection()], maxBatchSize: 7 });
  const head = await new OrganizationHistory(fixture.store).writeAll();
  await runner.waitForPosition(head, WAIT);
  return { db, runner, readModel: new OrganizationReadModel(db), head };
}

describe('organizations projection', () => {
  it('is fed every event type of the organization stream', async () => {
    await new OrganizationHistory(fixture.store).writeAll();
    const types = new Set<string>();
    for await (const event of fixture.store.readAll()) types.add(event.type);
    expect([...types].sort()).toEqual(ORGANIZATION_EVENT_TYPES);
  });

  it('folds an organization with all its items, as its stream left them', async () => {
    const { readModel } = await projectIncrementally();
    const rich = readModel.getOrganization(RICH)!;

    let lastRevision = -1n;
    for await (const event of fixture.store.readStream(organizationStreamId(RICH)))
      lastRevision = event.revision;
    const defaults = defaultSettings();
    expect(rich).toEqual({
      id: RICH,
      providerId: PROVIDER,
      displayName: 'Acme Corp',
      normalizedName: 'acme corp',
      created: '2025-01-02T03:04:05.000Z',
      version: lastRevision.toString(),
      status: 'ACTIVE',
      clonedFrom: null,
      settings: {
        ...defaults,
        USER_PORTAL: { ...defaults.USER_PORTAL, idleSessionDurationMinutes: 120 },
        PASSWORD_SETTINGS: {
          ...defaults.PASSWORD_SETTINGS,
          passwordPolicy: { ...defaults.PASSWORD_SETTINGS.passwordPolicy, minLength: 12 },
        },
      },
      proprietarySettings: { contactName: 'Ann Admin' },
      features: { directoryInsights: true, systemInsights: false, remoteAssist: false },
      mfa: {
        push: { enabled: true },
        totp: { enabled: true },
        webAuthn: { enabled: true, allowSelfRegistration: false },
        duo: {
          accountId: 'duo-account-2',
          apiHost: 'api-9z8y7x6w.duosecurity.com',
          integrationKey: 'DIABCDEFGHIJKLMNOPQR',
        },
      },
      userCount: 2,
      deviceCount: 1,
    });

    const [users] = readModel.itemsOf([RICH], 'USER');
    expect(users).toEqual([
      { id: 'user-1', username: 'ann', email: 'ann@acme.test' },
      { id: 'user-3', username: 'cid', email: 'cid@acme.example' },
    ]);
    expect(readModel.itemsOf([RICH], 'DEVICE')[0]).toEqual([
      { id: 'device-1', hostname: 'mac-1.acme.example', os: 'macOS' },
    ]);
    expect(readModel.itemsOf([RICH], 'USER_GROUP')[0]).toMatchObject([
      { id: 'ug-staff', name: 'Staff', description: 'Everyone on payroll', memberUserIds: ['user-3'] },
    ]);
    expect(readModel.itemsOf([RICH], 'DEVICE_GROUP')[0]).toMatchObject([
      { id: 'dg-macs', description: 'All Macs', memberDeviceIds: [] },
    ]);
    expect(readModel.itemsOf([RICH], 'COMMAND')[0]).toMatchObject([
      { id: 'cmd-update', name: 'Update packages', deviceGroupIds: [] },
    ]);
    expect(readModel.itemsOf([RICH], 'POLICY_GROUP')[0]).toMatchObject([
      { id: 'pg-base', description: 'Every device', policyIds: ['pol-cert'], deviceGroupIds: [] },
    ]);
    expect(readModel.itemsOf([RICH], 'IP_LIST')[0]).toMatchObject([
      { id: 'ip-office', ips: ['203.0.113.0/24', '198.51.100.7'] },
    ]);
    expect(readModel.itemsOf([RICH], 'CONDITIONAL_ACCESS_POLICY')[0]).toMatchObject([
      { id: 'ca-offsite', disabled: true, conditions: { not: { ipAddressIn: ['ip-office'] } } },
    ]);
    expect(readModel.itemsOf([RICH], 'ADMIN_ACCESS')[0]).toEqual([{ administratorId: 'admin-1' }]);
  });

  it('keeps sensitive policy values out: null, marked sensitive; plain values stay', async () => {
    const { readModel } = await projectIncrementally();
    const policies = readModel.itemsOf([RICH], 'POLICY')[0]!;
    expect(policies.map((policy) => policy.id)).toEqual(['pol-wifi', 'pol-cert']);
    expect(policies[0]).toMatchObject({ name: 'Office Wi-Fi', deviceGroupIds: ['dg-macs'] });
    expect(policies[0]!.values).toEqual([
      { configFieldID: '64f0a1b2c3d4e5f602030001', value: null, sensitive: true },
      { configFieldID: '64f0a1b2c3d4e5f602030002', value: 'WPA2', sensitive: false },
      { configFieldID: '64f0a1b2c3d4e5f602030003', value: null, sensitive: true },
      { configFieldID: '64f0a1b2c3d4e5f602030004', value: false, sensitive: false },
    ]);
    expect(policies[1]!.values).toEqual([
      { configFieldID: '64f0a1b2c3d4e5f602040001', value: null, sensitive: true },
      { configFieldID: '64f0a1b2c3d4e5f602040002', value: null, sensitive: true },
      { configFieldID: '64f0a1b2c3d4e5f602040003', value: 'System', sensitive: false },
    ]);
  });

  it('never holds a planted sensitive value, nor its sealed form', async () => {
    const { db } = await projectIncrementally();
    const dump = dumpReadModel(db);
    // The markers really are in the histories the projection read (sealed), and nowhere in the dump.
    expect(dump).toContain('Office Wi-Fi');
    for (const marker of Object.values(MARKERS)) expect(dump).not.toContain(marker);
    expect(dump).not.toContain('sealed');
    expect(dump).not.toContain('secretKey');
  });

  it('tracks the status: cloning until provisioned, discarded hidden from listings and names', async () => {
    const { readModel } = await projectIncrementally();
    const [cloned, cloning, discarded] = readModel.getOrganizations([CLONED, STILL_CLONING, DISCARDED]);
    expect(cloned).toMatchObject({
      status: 'ACTIVE',
      version: '1',
      clonedFrom: { cloneId: `clone-of-${RICH}`, sourceOrganizationId: RICH, sourceVersion: '7' },
    });
    expect(cloning).toMatchObject({ status: 'CLONING', version: '0' });
    expect(discarded).toMatchObject({ status: 'DISCARDED', displayName: 'Acme Corp Old' });

    expect(
      readModel.listOrganizations(PROVIDER, { first: 10 }).map((organization) => organization.id),
    ).toEqual([CLONED, RICH, STILL_CLONING]);
    expect(readModel.isNameTaken(PROVIDER, '  ACME   corp ')).toBe(true);
    expect(readModel.isNameTaken(PROVIDER, 'acme corp old')).toBe(false);
    expect(readModel.isNameTaken('provider-2', 'Acme Corp')).toBe(false);
  });

  it('answers batches in the order asked, one entry per id', async () => {
    const { readModel } = await projectIncrementally();
    expect(
      readModel.getOrganizations(['nope', RICH, CLONED]).map((organization) => organization?.id ?? null),
    ).toEqual([null, RICH, CLONED]);
    const commands = readModel.itemsOf([CLONED, RICH, 'nope'], 'COMMAND');
    expect(commands.map((list) => list.map((command) => command.id))).toEqual([[], ['cmd-update'], []]);
    expect(readModel.getItem(RICH, 'POLICY', 'pol-cert')).toMatchObject({ name: 'Root certificate' });
    expect(readModel.getItem(RICH, 'POLICY', 'pol-lock')).toBeNull();
  });

  it('pages the items of one kind in the order they were added', async () => {
    const { readModel } = await projectIncrementally();
    const first = readModel.listItems(RICH, 'POLICY', { first: 1 });
    expect(first.map(({ item }) => item.id)).toEqual(['pol-wifi']);
    const rest = readModel.listItems(RICH, 'POLICY', { first: 5, after: first[0]!.key });
    expect(rest.map(({ item }) => item.id)).toEqual(['pol-cert']);
    expect(readModel.listItems(RICH, 'POLICY', { first: 5, after: rest[0]!.key })).toEqual([]);
    expect(() => readModel.listItems(RICH, 'POLICY', { first: 5, after: '["x","y"]' })).toThrow(
      expect.objectContaining({ field: 'after' }),
    );
  });

  it('gives the same read model, byte for byte, when rebuilt from the log', async () => {
    const { db: incremental, head } = await projectIncrementally();
    const rebuilt = fixture.openDb('rebuilt.db');
    const result = await rebuildProjections({
      store: fixture.store,
      db: rebuilt,
      projections: [organizationsProjection()],
      pageSize: 11,
    });
    expect(result.position).toBe(head);
    expect(dumpReadModel(rebuilt)).toEqual(dumpReadModel(incremental));
  });

  it('leaves an event type it does not know alone, apart from the version', async () => {
    const { runner, readModel } = await projectIncrementally();
    const before = readModel.getOrganization(RICH)!;
    const appended = await fixture.store.appendToStream(organizationStreamId(RICH), [
      { id: randomUUID(), type: 'SomethingNewHappened', data: { organizationId: RICH } },
    ]);
    await runner.waitForPosition(appended.position, WAIT);
    expect(readModel.getOrganization(RICH)).toEqual({
      ...before,
      version: appended.nextExpectedRevision.toString(),
    });
  });
});

describe('organizations projection rebuild', () => {
  it('replays a large organization quickly (rate logged, not asserted)', async () => {
    const history = new OrganizationHistory(fixture.store);
    await history.run('org-big', {
      type: 'CreateOrganization',
      data: {
        organizationId: 'org-big',
        providerId: PROVIDER,
        displayName: 'Big',
        created: '2025-01-01T00:00:00Z',
      },
    });
    // What a clone of a large organization writes: item after item, in large appends.
    const items = 50_000;
    for (let offset = 0; offset < items; offset += 1_000) {
      await fixture.store.appendToStream(
        organizationStreamId('org-big'),
        Array.from({ length: 1_000 }, (_, index): EventData => {
          const n = offset + index;
          return n % 2 === 0
            ? {
                id: randomUUID(),
                type: 'CommandAdded',
                data: {
                  command: {
                    id: `cmd-${n}`,
                    name: `Command ${n}`,
                    command: 'apt-get update && apt-get -y upgrade',
                    commandType: 'linux',
                    user: '000000000000000000000000',
                    sudo: false,
                    shell: 'bash',
                    launchType: 'manual',
                    schedule: '',
                    scheduleRepeatType: '',
                    timeout: 120,
                    trigger: '',
                    files: [],
                    description: '',
                    deviceGroupIds: [],
                  },
                },
              }
            : {
                id: randomUUID(),
                type: 'UserAdded',
                data: { user: { id: `user-${n}`, username: `u${n}`, email: `u${n}@x.example` } },
              };
        }),
      );
    }
    const db = fixture.openDb();
    const started = performance.now();
    const result = await rebuildProjections({
      store: fixture.store,
      db,
      projections: [organizationsProjection()],
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `organizations projection rebuild: ${result.events} events in ${seconds.toFixed(2)} s = ${Math.round(result.events / seconds)} events/s`,
    );
    const organization = new OrganizationReadModel(db).getOrganization('org-big')!;
    expect(organization).toMatchObject({ userCount: items / 2, version: String(items) });
    expect(new OrganizationReadModel(db).itemsOf(['org-big'], 'COMMAND')[0]).toHaveLength(items / 2);
  });
});

describe('organization listings', () => {
  const names = ['beta', 'Alpha', 'gamma', 'alpha two', 'Delta', 'epsilon', 'ALPHA three'];

  async function listingReadModel() {
    const db = fixture.openDb();
    const runner = await fixture.startRunner({ db, projections: [organizationsProjection()] });
    const history = new OrganizationHistory(fixture.store);
    let head: bigint | null = null;
    for (const [index, displayName] of names.entries()) {
      head = await history.run(`org-${index}`, {
        type: 'CreateOrganization',
        data: {
          organizationId: `org-${index}`,
          providerId: PROVIDER,
          displayName,
          created: '2025-01-01T00:00:00Z',
        },
      });
    }
    await history.run('org-other', {
      type: 'CreateOrganization',
      data: {
        organizationId: 'org-other',
        providerId: 'provider-2',
        displayName: 'Alpha',
        created: '2025-01-01T00:00:00Z',
      },
    });
    head = await history.run('org-4', { type: 'DiscardOrganization', data: {} });
    await runner.waitForPosition(head!, WAIT);
    return new OrganizationReadModel(db);
  }

  it('pages by name, case-insensitively, then id, resuming after a key', async () => {
    const readModel = await listingReadModel();
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = readModel.listOrganizations(PROVIDER, { first: 2, after });
      seen.push(...page.map((organization) => organization.displayName));
      if (page.length < 2) break;
      after = organizationListKey(page.at(-1)!);
    }
    expect(seen).toEqual(['Alpha', 'ALPHA three', 'alpha two', 'beta', 'epsilon', 'gamma']);
  });

  it('searches a case-insensitive substring of the name, within the visible organizations', async () => {
    const readModel = await listingReadModel();
    const names = (options: Parameters<OrganizationReadModel['listOrganizations']>[1]) =>
      readModel.listOrganizations(PROVIDER, options).map((organization) => organization.displayName);
    expect(names({ first: 10, search: 'ALPHA' })).toEqual(['Alpha', 'ALPHA three', 'alpha two']);
    expect(names({ first: 10, search: ' A  TW' })).toEqual(['alpha two']);
    expect(names({ first: 10, search: 'lt' })).toEqual([]);
    expect(names({ first: 10, visibleIds: ['org-0', 'org-2', 'org-other'] })).toEqual(['beta', 'gamma']);
    expect(names({ first: 10, visibleIds: [] })).toEqual([]);
  });

  it('refuses a key it did not make', async () => {
    const readModel = await listingReadModel();
    expect(() => readModel.listOrganizations(PROVIDER, { first: 2, after: 'not json' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'after' }),
    );
    expect(() => readModel.listOrganizations(PROVIDER, { first: 2, after: '[1, 2]' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'after' }),
    );
  });
});
