import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/application/command-handler.js';
import { providerStreamId } from '../../../src/application/streams.js';
import type { ProviderCommand } from '../../../src/domain/provider/commands.js';
import { providerDecider } from '../../../src/domain/provider/decider.js';
import type { ProviderEvent } from '../../../src/domain/provider/events.js';
import { providersProjection } from '../../../src/projections/providers/projection.js';
import { ProviderReadModel } from '../../../src/projections/providers/queries.js';
import { dumpReadModel } from '../../../src/projections/read-model-db.js';
import { rebuildProjections } from '../../../src/projections/rebuild.js';
import { generateApiKey } from '../../../src/security/api-keys.js';
import { createApiKeyAuthenticator } from '../../../src/server/auth.js';
import type { ProjectionFixture } from '../support/fixture.js';
import { projectionFixture } from '../support/fixture.js';

const WAIT = { timeoutMs: 10_000 };
const ISSUED_AT = '2025-02-03T04:05:06.000Z';

/** Every provider event type: the exhaustive record fails to compile when one is added. */
const EVENT_TYPES: Record<ProviderEvent['type'], true> = {
  ProviderCreated: true,
  BillingPlanChanged: true,
  AdministratorAdded: true,
  AdministratorRoleChanged: true,
  AdministratorSuspended: true,
  AdministratorLinkedToOrganization: true,
  AdministratorUnlinkedFromOrganization: true,
  ApiKeyIssued: true,
  ApiKeyRevoked: true,
};

const keys = { owner: generateApiKey(), linked: generateApiKey(), revoked: generateApiKey() };

const administrator = (
  administratorId: string,
  roleName: 'Administrator With Billing' | 'Help Desk' | 'Read Only',
  orgAccess: 'ALL' | 'LINKED',
  linkedOrganizationIds: string[] = [],
): ProviderCommand => ({
  type: 'AddAdministrator',
  data: {
    administratorId,
    email: `${administratorId}@msp.example`,
    firstname: administratorId,
    lastname: 'Example',
    roleName,
    orgAccess,
    linkedOrganizationIds,
  },
});

const issue = (apiKeyId: string, administratorId: string, key: (typeof keys)['owner']): ProviderCommand => ({
  type: 'IssueApiKey',
  data: { apiKeyId, administratorId, keyHash: key.hash, prefix: key.prefix, issuedAt: ISSUED_AT },
});

const HISTORY: [string, ProviderCommand][] = [
  [
    'msp-1',
    {
      type: 'CreateProvider',
      data: { providerId: 'msp-1', name: 'MSP One', plan: 'TRIAL', orgCreationDisabled: false },
    },
  ],
  [
    'msp-2',
    {
      type: 'CreateProvider',
      data: { providerId: 'msp-2', name: 'MSP Two', plan: 'FREE', orgCreationDisabled: true },
    },
  ],
  ['msp-1', administrator('owner', 'Administrator With Billing', 'ALL')],
  ['msp-1', administrator('linked', 'Help Desk', 'LINKED', ['org-b', 'org-a'])],
  ['msp-2', administrator('owner', 'Read Only', 'ALL')],
  ['msp-1', { type: 'ChangeBillingPlan', data: { plan: 'PAID' } }],
  ['msp-1', { type: 'ChangeAdministratorRole', data: { administratorId: 'linked', roleName: 'Read Only' } }],
  [
    'msp-1',
    { type: 'LinkAdministratorToOrganization', data: { administratorId: 'linked', organizationId: 'org-c' } },
  ],
  [
    'msp-1',
    {
      type: 'UnlinkAdministratorFromOrganization',
      data: { administratorId: 'linked', organizationId: 'org-b' },
    },
  ],
  ['msp-1', issue('key-owner', 'owner', keys.owner)],
  ['msp-1', issue('key-linked', 'linked', keys.linked)],
  ['msp-1', issue('key-revoked', 'owner', keys.revoked)],
  ['msp-1', { type: 'RevokeApiKey', data: { apiKeyId: 'key-revoked' } }],
  ['msp-1', { type: 'SuspendAdministrator', data: { administratorId: 'linked' } }],
];

let fixture: ProjectionFixture;
beforeEach(async () => {
  fixture = await projectionFixture();
});
afterEach(async () => {
  await fixture.close();
});

async function writeHistory(): Promise<bigint> {
  let position = 0n;
  for (const [providerId, command] of HISTORY) {
    const result = await handleCommand({
      store: fixture.store,
      streamId: providerStreamId(providerId),
      decider: providerDecider,
      command,
      context: undefined,
      metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'operator' },
      now: () => new Date(ISSUED_AT),
    });
    position = result.position ?? position;
  }
  return position;
}

async function projectIncrementally() {
  const db = fixture.openDb('incremental.db');
  const runner = await fixture.startRunner({ db, projections: [providersProjection()], maxBatchSize: 3 });
  const head = await writeHistory();
  await runner.waitForPosition(head, WAIT);
  return { db, readModel: new ProviderReadModel(db) };
}

describe('providers projection', () => {
  it('is fed every provider event type', async () => {
    await writeHistory();
    const types = new Set<string>();
    for await (const event of fixture.store.readAll()) types.add(event.type);
    expect([...types].sort()).toEqual(Object.keys(EVENT_TYPES).sort());
  });

  it('folds providers, administrators with their links, and API keys', async () => {
    const { readModel } = await projectIncrementally();
    expect(readModel.getProviders(['msp-2', 'nope', 'msp-1'])).toEqual([
      { id: 'msp-2', name: 'MSP Two', plan: 'FREE', orgCreationDisabled: true, version: '1' },
      null,
      { id: 'msp-1', name: 'MSP One', plan: 'PAID', orgCreationDisabled: false, version: '11' },
    ]);
    expect(readModel.getAdministrators('msp-1', ['linked', 'owner', 'ghost'])).toEqual([
      {
        id: 'linked',
        providerId: 'msp-1',
        email: 'linked@msp.example',
        firstname: 'linked',
        lastname: 'Example',
        roleName: 'Read Only',
        orgAccess: 'LINKED',
        linkedOrganizationIds: ['org-a', 'org-c'],
        suspended: true,
      },
      expect.objectContaining({
        id: 'owner',
        roleName: 'Administrator With Billing',
        linkedOrganizationIds: [],
      }),
      null,
    ]);
    // The same administrator id in another provider is another administrator.
    expect(readModel.getAdministrator('msp-2', 'owner')).toMatchObject({ roleName: 'Read Only' });
    expect(readModel.administratorsOf(['msp-1', 'msp-2']).map((list) => list.map((a) => a.id))).toEqual([
      ['owner', 'linked'],
      ['owner'],
    ]);
    expect(readModel.apiKeysOf('msp-1', ['owner', 'linked'])).toEqual([
      [
        {
          id: 'key-owner',
          providerId: 'msp-1',
          administratorId: 'owner',
          prefix: keys.owner.prefix,
          issuedAt: ISSUED_AT,
          revoked: false,
        },
        {
          id: 'key-revoked',
          providerId: 'msp-1',
          administratorId: 'owner',
          prefix: keys.revoked.prefix,
          issuedAt: ISSUED_AT,
          revoked: true,
        },
      ],
      [
        {
          id: 'key-linked',
          providerId: 'msp-1',
          administratorId: 'linked',
          prefix: keys.linked.prefix,
          issuedAt: ISSUED_AT,
          revoked: false,
        },
      ],
    ]);
    expect(readModel.actor('msp-1', 'owner')).toMatchObject({
      id: 'owner',
      providerId: 'msp-1',
      plan: 'PAID',
      orgCreationDisabled: false,
      orgAccess: 'ALL',
    });
    expect(readModel.actor('msp-2', 'linked')).toBeNull();
  });

  it('authenticates the keys it holds: valid, revoked, suspended, unknown', async () => {
    const { readModel } = await projectIncrementally();
    const authenticator = createApiKeyAuthenticator(readModel);
    expect(await authenticator.authenticate(keys.owner.key)).toEqual({
      administratorId: 'owner',
      providerId: 'msp-1',
      roleName: 'Administrator With Billing',
      orgAccess: 'ALL',
      linkedOrganizationIds: [],
      suspended: false,
    });
    // A suspended administrator's key still identifies it: the server refuses it as suspended.
    expect(await authenticator.authenticate(keys.linked.key)).toMatchObject({
      administratorId: 'linked',
      suspended: true,
      linkedOrganizationIds: ['org-a', 'org-c'],
    });
    expect(await authenticator.authenticate(keys.revoked.key)).toBeNull();
    expect(await authenticator.authenticate(generateApiKey().key)).toBeNull();
    const forged = `oc_${keys.owner.prefix}_${generateApiKey().key.split('_').slice(2).join('_')}`;
    expect(await authenticator.authenticate(forged)).toBeNull();
    expect(readModel.isApiKeyPrefixTaken(keys.revoked.prefix)).toBe(true);
  });

  it('holds key hashes only, never a key', async () => {
    const { db } = await projectIncrementally();
    const dump = dumpReadModel(db);
    expect(dump).toContain(keys.owner.hash);
    for (const { key } of Object.values(keys)) expect(dump).not.toContain(key.split('_')[2]);
  });

  it('gives the same read model, byte for byte, when rebuilt from the log', async () => {
    const { db: incremental } = await projectIncrementally();
    const rebuilt = fixture.openDb('rebuilt.db');
    await rebuildProjections({
      store: fixture.store,
      db: rebuilt,
      projections: [providersProjection()],
      pageSize: 4,
    });
    expect(dumpReadModel(rebuilt)).toEqual(dumpReadModel(incremental));
  });
});
