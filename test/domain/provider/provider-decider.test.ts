import { describe, expect, it } from 'vitest';
import type { ProviderCommand } from '../../../src/domain/provider/commands.js';
import { providerDecider } from '../../../src/domain/provider/decider.js';
import type { ProviderEvent } from '../../../src/domain/provider/events.js';
import type { Administrator } from '../../../src/domain/provider/state.js';
import { ADMIN_ROLES } from '../../../src/domain/organization/model.js';
import { specFor } from '../given-when-then.js';

const spec = specFor(providerDecider, undefined);

const providerCreated: ProviderEvent = {
  type: 'ProviderCreated',
  data: {
    providerId: 'provider-msp',
    name: 'Northwind MSP',
    billing: { plan: 'PAID' },
    orgCreationDisabled: false,
  },
};

const alice: Administrator = {
  id: 'admin-alice',
  email: 'alice@northwind.example',
  firstname: 'Alice',
  lastname: 'Adams',
  roleName: 'Administrator With Billing',
  orgAccess: 'ALL',
  linkedOrganizationIds: [],
  suspended: false,
};
const aliceAdded: ProviderEvent = { type: 'AdministratorAdded', data: { administrator: alice } };

const bob: Administrator = {
  ...alice,
  id: 'admin-bob',
  email: 'bob@northwind.example',
  firstname: 'Bob',
  roleName: 'Help Desk',
  orgAccess: 'LINKED',
  linkedOrganizationIds: ['org-1'],
};
const bobAdded: ProviderEvent = { type: 'AdministratorAdded', data: { administrator: bob } };

const addAdministrator = (
  overrides: Partial<Extract<ProviderCommand, { type: 'AddAdministrator' }>['data']> = {},
) =>
  ({
    type: 'AddAdministrator',
    data: {
      administratorId: 'admin-carol',
      email: 'carol@northwind.example',
      firstname: 'Carol',
      lastname: 'Clark',
      roleName: 'Manager',
      orgAccess: 'ALL',
      linkedOrganizationIds: [],
      ...overrides,
    },
  }) as ProviderCommand;

const keyHash = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const issueKey = (overrides: Partial<Extract<ProviderCommand, { type: 'IssueApiKey' }>['data']> = {}) =>
  ({
    type: 'IssueApiKey',
    data: {
      apiKeyId: 'key-1',
      administratorId: 'admin-alice',
      keyHash,
      prefix: 'oc_3f9a',
      issuedAt: '2024-05-01T10:00:00Z',
      ...overrides,
    },
  }) as ProviderCommand;
const keyIssued: ProviderEvent = {
  type: 'ApiKeyIssued',
  data: {
    apiKey: {
      id: 'key-1',
      administratorId: 'admin-alice',
      keyHash,
      prefix: 'oc_3f9a',
      issuedAt: '2024-05-01T10:00:00Z',
    },
  },
};

describe('CreateProvider', () => {
  const create = (
    data: Partial<Extract<ProviderCommand, { type: 'CreateProvider' }>['data']>,
  ): ProviderCommand => ({
    type: 'CreateProvider',
    data: {
      providerId: 'provider-msp',
      name: '  Northwind MSP ',
      plan: 'PAID',
      orgCreationDisabled: false,
      ...data,
    },
  });

  it('creates the provider with a trimmed name', () => {
    spec.given([]).when(create({})).then([providerCreated]);
  });

  it('refuses a second creation', () => {
    spec.given([providerCreated]).when(create({})).then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS' });
  });

  it.each([
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ plan: 'GOLD' as never }, 'plan'],
    [{ orgCreationDisabled: 'no' as never }, 'orgCreationDisabled'],
    [{ providerId: '' }, 'providerId'],
  ])('refuses %j', (data, field) => {
    spec.given([]).when(create(data)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses every other command before the provider exists', () => {
    spec.given([]).when(addAdministrator()).then({ code: 'NOT_FOUND' });
  });
});

describe('ChangeBillingPlan', () => {
  it('changes the plan and records the previous one', () => {
    spec
      .given([providerCreated])
      .when({ type: 'ChangeBillingPlan', data: { plan: 'TRIAL' } })
      .then([{ type: 'BillingPlanChanged', data: { plan: 'TRIAL', previousPlan: 'PAID' } }]);
  });

  it('decides nothing when the plan is already in place', () => {
    spec
      .given([providerCreated])
      .when({ type: 'ChangeBillingPlan', data: { plan: 'PAID' } })
      .then([]);
  });

  it('refuses an unknown plan', () => {
    spec
      .given([providerCreated])
      .when({ type: 'ChangeBillingPlan', data: { plan: 'ENTERPRISE' as never } })
      .then({ code: 'VALIDATION_FAILED', field: 'plan' });
  });
});

describe('AddAdministrator', () => {
  it('adds an administrator with access to all organizations', () => {
    spec
      .given([providerCreated])
      .when(addAdministrator())
      .then([
        {
          type: 'AdministratorAdded',
          data: {
            administrator: {
              id: 'admin-carol',
              email: 'carol@northwind.example',
              firstname: 'Carol',
              lastname: 'Clark',
              roleName: 'Manager',
              orgAccess: 'ALL',
              linkedOrganizationIds: [],
              suspended: false,
            },
          },
        },
      ]);
  });

  it.each(ADMIN_ROLES)('accepts the JumpCloud role %s', (roleName) => {
    expect(spec.given([providerCreated]).when(addAdministrator({ roleName })).events()).toMatchObject([
      { type: 'AdministratorAdded', data: { administrator: { roleName } } },
    ]);
  });

  it('adds a LINKED administrator with its organizations', () => {
    const after = spec
      .given([providerCreated])
      .when(addAdministrator({ orgAccess: 'LINKED', linkedOrganizationIds: ['org-1', 'org-2'] }))
      .state();
    expect(after.administrators['admin-carol']).toMatchObject({
      orgAccess: 'LINKED',
      linkedOrganizationIds: ['org-1', 'org-2'],
    });
  });

  it.each([
    [{ email: 'carol' }, 'email'],
    [{ email: 'carol@@northwind.example' }, 'email'],
    [{ email: 'carol@northwind' }, 'email'],
    [{ email: 'carol @northwind.example' }, 'email'],
    [{ email: '.carol@northwind.example' }, 'email'],
    [{ roleName: 'Super Admin' as never }, 'roleName'],
    [{ roleName: 'administrator' as never }, 'roleName'],
    [{ orgAccess: 'SOME' as never }, 'orgAccess'],
    [{ orgAccess: 'ALL' as const, linkedOrganizationIds: ['org-1'] }, 'linkedOrganizationIds'],
    [{ orgAccess: 'LINKED' as const, linkedOrganizationIds: ['org-1', 'org-1'] }, 'linkedOrganizationIds[1]'],
    [{ firstname: 'x'.repeat(101) }, 'firstname'],
  ])('refuses %j', (data, field) => {
    spec.given([providerCreated]).when(addAdministrator(data)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses an id already in use', () => {
    spec
      .given([providerCreated, aliceAdded])
      .when(addAdministrator({ administratorId: 'admin-alice' }))
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'administratorId' });
  });

  it('refuses an email already in use, whatever its case', () => {
    spec
      .given([providerCreated, aliceAdded])
      .when(addAdministrator({ email: 'ALICE@Northwind.example' }))
      .then({ code: 'CONFLICT', reason: 'EMAIL_TAKEN', field: 'email' });
  });
});

describe('ChangeAdministratorRole', () => {
  it('changes the role', () => {
    spec
      .given([providerCreated, aliceAdded])
      .when({
        type: 'ChangeAdministratorRole',
        data: { administratorId: 'admin-alice', roleName: 'Read Only' },
      })
      .then([
        {
          type: 'AdministratorRoleChanged',
          data: {
            administratorId: 'admin-alice',
            roleName: 'Read Only',
            previousRoleName: 'Administrator With Billing',
          },
        },
      ]);
  });

  it('decides nothing for the same role', () => {
    spec
      .given([providerCreated, aliceAdded])
      .when({
        type: 'ChangeAdministratorRole',
        data: { administratorId: 'admin-alice', roleName: 'Administrator With Billing' },
      })
      .then([]);
  });

  it('refuses an unknown administrator and an unknown role', () => {
    spec
      .given([providerCreated, aliceAdded])
      .when({ type: 'ChangeAdministratorRole', data: { administratorId: 'admin-zed', roleName: 'Manager' } })
      .then({ code: 'NOT_FOUND', field: 'administratorId' });
    spec
      .given([providerCreated, aliceAdded])
      .when({
        type: 'ChangeAdministratorRole',
        data: { administratorId: 'admin-alice', roleName: 'Boss' as never },
      })
      .then({ code: 'VALIDATION_FAILED', field: 'roleName' });
  });
});

describe('SuspendAdministrator', () => {
  const suspend: ProviderCommand = { type: 'SuspendAdministrator', data: { administratorId: 'admin-alice' } };
  const suspended: ProviderEvent = {
    type: 'AdministratorSuspended',
    data: { administratorId: 'admin-alice' },
  };

  it('suspends, once', () => {
    spec.given([providerCreated, aliceAdded]).when(suspend).then([suspended]);
    spec.given([providerCreated, aliceAdded, suspended]).when(suspend).then([]);
  });

  it('refuses an unknown administrator', () => {
    spec.given([providerCreated]).when(suspend).then({ code: 'NOT_FOUND', field: 'administratorId' });
  });
});

describe('LinkAdministratorToOrganization / UnlinkAdministratorFromOrganization', () => {
  const link = (organizationId: string): ProviderCommand => ({
    type: 'LinkAdministratorToOrganization',
    data: { administratorId: 'admin-bob', organizationId },
  });
  const unlink = (organizationId: string): ProviderCommand => ({
    type: 'UnlinkAdministratorFromOrganization',
    data: { administratorId: 'admin-bob', organizationId },
  });

  it('links a LINKED administrator to another organization', () => {
    const after = spec.given([providerCreated, bobAdded]).when(link('org-2')).state();
    expect(after.administrators['admin-bob']?.linkedOrganizationIds).toEqual(['org-1', 'org-2']);
    spec
      .given([providerCreated, bobAdded])
      .when(link('org-2'))
      .then([
        {
          type: 'AdministratorLinkedToOrganization',
          data: { administratorId: 'admin-bob', organizationId: 'org-2' },
        },
      ]);
  });

  it('decides nothing when already linked, or unlinking what is not linked', () => {
    spec.given([providerCreated, bobAdded]).when(link('org-1')).then([]);
    spec.given([providerCreated, bobAdded]).when(unlink('org-9')).then([]);
  });

  it('unlinks', () => {
    spec
      .given([providerCreated, bobAdded])
      .when(unlink('org-1'))
      .then([
        {
          type: 'AdministratorUnlinkedFromOrganization',
          data: { administratorId: 'admin-bob', organizationId: 'org-1' },
        },
      ]);
  });

  it('refuses links for an administrator with access to all organizations', () => {
    spec
      .given([providerCreated, aliceAdded])
      .when({
        type: 'LinkAdministratorToOrganization',
        data: { administratorId: 'admin-alice', organizationId: 'org-1' },
      })
      .then({ code: 'CONFLICT', reason: 'ORG_ACCESS_NOT_LINKED', field: 'administratorId' });
  });

  it('refuses a malformed organization id', () => {
    spec
      .given([providerCreated, bobAdded])
      .when(link('org 1'))
      .then({ code: 'VALIDATION_FAILED', field: 'organizationId' });
  });
});

describe('IssueApiKey', () => {
  it('records the key id, hash and prefix, never more', () => {
    spec.given([providerCreated, aliceAdded]).when(issueKey()).then([keyIssued]);
  });

  it.each([
    [{ keyHash: 'short' }, 'keyHash'],
    [{ keyHash: 'has spaces in the hash value' }, 'keyHash'],
    [{ prefix: '' }, 'prefix'],
    [{ prefix: 'a prefix that is too long' }, 'prefix'],
    [{ issuedAt: 'yesterday' }, 'issuedAt'],
    [{ issuedAt: '2024-02-30T10:00:00Z' }, 'issuedAt'],
  ])('refuses %j', (data, field) => {
    spec.given([providerCreated, aliceAdded]).when(issueKey(data)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses a reused key id or hash', () => {
    spec
      .given([providerCreated, aliceAdded, keyIssued])
      .when(issueKey({ keyHash: `${keyHash}0` }))
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'apiKeyId' });
    spec
      .given([providerCreated, aliceAdded, keyIssued])
      .when(issueKey({ apiKeyId: 'key-2' }))
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'keyHash' });
  });

  it('refuses a key for an unknown or suspended administrator', () => {
    spec.given([providerCreated]).when(issueKey()).then({ code: 'NOT_FOUND', field: 'administratorId' });
    spec
      .given([
        providerCreated,
        aliceAdded,
        { type: 'AdministratorSuspended', data: { administratorId: 'admin-alice' } },
      ])
      .when(issueKey())
      .then({ code: 'CONFLICT', reason: 'ADMINISTRATOR_SUSPENDED' });
  });
});

describe('RevokeApiKey', () => {
  const revoke: ProviderCommand = { type: 'RevokeApiKey', data: { apiKeyId: 'key-1' } };
  const revoked: ProviderEvent = {
    type: 'ApiKeyRevoked',
    data: { apiKeyId: 'key-1', administratorId: 'admin-alice' },
  };

  it('revokes, once', () => {
    spec.given([providerCreated, aliceAdded, keyIssued]).when(revoke).then([revoked]);
    spec.given([providerCreated, aliceAdded, keyIssued, revoked]).when(revoke).then([]);
    const after = spec.given([providerCreated, aliceAdded, keyIssued]).when(revoke).state();
    expect(after.apiKeys['key-1']?.revoked).toBe(true);
  });

  it('refuses an unknown key', () => {
    spec.given([providerCreated, aliceAdded]).when(revoke).then({ code: 'NOT_FOUND', field: 'apiKeyId' });
  });
});

describe('ids that name inherited object properties', () => {
  it('are ordinary ids, never mistaken for existing entries', () => {
    spec
      .given([providerCreated])
      .when(addAdministrator({ administratorId: 'constructor' }))
      .then([
        {
          type: 'AdministratorAdded',
          data: {
            administrator: {
              id: 'constructor',
              email: 'carol@northwind.example',
              firstname: 'Carol',
              lastname: 'Clark',
              roleName: 'Manager',
              orgAccess: 'ALL',
              linkedOrganizationIds: [],
              suspended: false,
            },
          },
        },
      ]);
    spec
      .given([providerCreated])
      .when({ type: 'SuspendAdministrator', data: { administratorId: 'toString' } })
      .then({ code: 'NOT_FOUND', field: 'administratorId' });
    spec
      .given([providerCreated])
      .when({ type: 'RevokeApiKey', data: { apiKeyId: 'hasOwnProperty' } })
      .then({ code: 'NOT_FOUND', field: 'apiKeyId' });
  });
});
