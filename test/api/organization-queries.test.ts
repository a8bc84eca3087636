import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startApiServer, type ApiServer } from './support/api-server.js';
import {
  createOrganization,
  seedOrganization,
  WIFI_TEMPLATE,
  type SeededOrganization,
} from './support/seed.js';

const MARKER = 'plantedSecret7f3a';

const ORGANIZATION = `
  query Organization($id: ID!) {
    organization(id: $id) {
      id displayName status version created clonedFrom { cloneId }
      userCount deviceCount
      settings {
        userPortal { systemUsersCanEdit idleSessionDurationMinutes cookieExpirationType }
        passwordRecoveryEmail { enableRecoveryEmail }
        adminManagement { disableGoogleLogin }
        passwordSettings { passwordCompliance passwordPolicy { minLength needsSymbolic lockoutTimeInSeconds } }
        uidGidManagement { enableManagedUID }
        passwordConfigurations { m365 { userLockoutAction } ldap { userPasswordExpirationAction } }
      }
      features { directoryInsights systemInsights remoteAssist }
      mfa { push { enabled } totp { enabled } webAuthn { enabled allowSelfRegistration }
            duo { configured accountId apiHost integrationKey } }
      commands { id name commandType user launchType deviceGroupIds clonedFromId }
      policies { id name templateId template { name } deviceGroupIds values { configFieldID value sensitive } }
      policyGroups { id name policyIds deviceGroupIds }
      userGroups { id name membershipMethod memberUserIds attributes { sudo { enabled } } }
      deviceGroups { id name memberDeviceIds mdm { adeDefaultEnrollmentGroup } }
      ipLists { id name ips }
      conditionalAccessPolicies {
        id name type disabled conditions
        targets { userGroups { inclusions exclusions } resources { type id } }
        effect { action obligations { mfa { required } mfaFactors { type } } }
      }
      admins { id email roleName }
      users(first: 10) { edges { node { id username } } pageInfo { hasNextPage } }
      devices(first: 10) { edges { node { id hostname } } }
    }
  }`;

const LIST = `
  query List($first: Int!, $after: String, $search: String) {
    organizations(first: $first, after: $after, search: $search) {
      edges { cursor node { id displayName } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }`;

interface ListData {
  organizations: {
    edges: { cursor: string; node: { id: string; displayName: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
}

let api: ApiServer;
let key: string;
let administratorId: string;
let providerId: string;
let otherKey: string;
let seeded: SeededOrganization;
let otherOrganizationId: string;

beforeAll(async () => {
  api = await startApiServer();
  providerId = (await api.provider()).id;
  ({
    key,
    administrator: { id: administratorId },
  } = await api.administrator(providerId));
  seeded = await seedOrganization(api, key, {
    name: 'Acme Source',
    size: 2,
    marker: MARKER,
    administratorIds: [administratorId],
  });
  for (const name of ['Beta Corp', 'Gamma Labs', 'acme two', 'Delta'])
    await createOrganization(api, key, name);
  const other = await api.provider();
  ({ key: otherKey } = await api.administrator(other.id));
  otherOrganizationId = await createOrganization(api, otherKey, 'Other Provider Org');
});

afterAll(async () => {
  await api.stop();
});

describe('me', () => {
  it('answers the calling administrator and its provider', async () => {
    const data = dataOf(
      await api.graphql<{ me: Record<string, Record<string, unknown>> }>(
        key,
        '{ me { administrator { id roleName orgAccess suspended linkedOrganizationIds } provider { id billing { plan } orgCreationDisabled } } }',
      ),
    );
    expect(data.me).toEqual({
      administrator: {
        id: administratorId,
        roleName: 'ADMINISTRATOR_WITH_BILLING',
        orgAccess: 'ALL',
        suspended: false,
        linkedOrganizationIds: [],
      },
      provider: { id: providerId, billing: { plan: 'PAID' }, orgCreationDisabled: false },
    });
  });

  it('answers a Billing Only administrator too, who may read nothing else', async () => {
    const { key: billingKey } = await api.administrator(providerId, 'Billing Only');
    const me = dataOf(
      await api.graphql<{ me: { administrator: { roleName: string } } }>(
        billingKey,
        '{ me { administrator { roleName } } }',
      ),
    );
    expect(me.me.administrator.roleName).toBe('BILLING_ONLY');
    const list = await api.graphql(billingKey, '{ organizations { edges { node { id } } } }');
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('organizations', () => {
  it("lists the provider's organizations by name, page by page", async () => {
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: ListData = dataOf(await api.graphql<ListData>(key, LIST, { first: 2, after }));
      pages++;
      names.push(...data.organizations.edges.map((edge) => edge.node.displayName));
      expect(data.organizations.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!data.organizations.pageInfo.hasNextPage) break;
      after = data.organizations.pageInfo.endCursor;
    }
    expect(names).toEqual(['Acme Source', 'acme two', 'Beta Corp', 'Delta', 'Gamma Labs']);
    expect(pages).toBe(3);
  });

  it('searches names case-insensitively', async () => {
    const data = dataOf(await api.graphql<ListData>(key, LIST, { first: 10, search: 'ACME' }));
    expect(data.organizations.edges.map((edge) => edge.node.displayName)).toEqual([
      'Acme Source',
      'acme two',
    ]);
  });

  it("never lists another provider's organizations", async () => {
    const data = dataOf(await api.graphql<ListData>(otherKey, LIST, { first: 50 }));
    expect(data.organizations.edges.map((edge) => edge.node.id)).toEqual([otherOrganizationId]);
  });

  it('refuses a page size above 500 and a cursor of another list', async () => {
    const tooLarge = await api.graphql(key, LIST, { first: 501 });
    expect(tooLarge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const foreign = await api.graphql(key, LIST, {
      first: 5,
      after: Buffer.from('["users","x"]').toString('base64url'),
    });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('shows a LINKED administrator only the organizations linked to it', async () => {
    const { key: linkedKey } = await api.administrator(providerId, 'Manager', {
      orgAccess: 'LINKED',
      linkedOrganizationIds: [seeded.id],
    });
    const data = dataOf(await api.graphql<ListData>(linkedKey, LIST, { first: 50 }));
    expect(data.organizations.edges.map((edge) => edge.node.id)).toEqual([seeded.id]);
  });
});

describe('organization(id)', () => {
  it('answers the organization with every nested list', async () => {
    const { organization } = dataOf(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw response, checked field by field below
      await api.graphql<{ organization: Record<string, any> }>(key, ORGANIZATION, { id: seeded.id }),
    );
    expect(organization).toMatchObject({
      id: seeded.id,
      displayName: 'Acme Source',
      status: 'ACTIVE',
      clonedFrom: null,
      userCount: 2,
      deviceCount: 2,
      settings: {
        userPortal: {
          systemUsersCanEdit: true,
          idleSessionDurationMinutes: 60,
          cookieExpirationType: 'SESSION',
        },
        passwordSettings: { passwordCompliance: 'CUSTOM', passwordPolicy: { minLength: 8 } },
        passwordConfigurations: {
          m365: { userLockoutAction: 'MAINTAIN' },
          ldap: { userPasswordExpirationAction: 'DISABLE' },
        },
      },
      features: { directoryInsights: false, systemInsights: false, remoteAssist: false },
      mfa: {
        duo: {
          configured: true,
          accountId: 'DA1234',
          apiHost: 'api-1234abcd.duosecurity.com',
          integrationKey: 'DIXXXXXXXXXXXXXXXXXX',
        },
      },
      admins: [{ id: administratorId, roleName: 'ADMINISTRATOR_WITH_BILLING' }],
    });
    expect(BigInt(organization.version)).toBeGreaterThan(0n);
    expect(new Date(organization.created).getTime()).not.toBeNaN();
    expect(organization.commands.map((command: { id: string }) => command.id)).toEqual(seeded.commandIds);
    expect(organization.commands[0]).toMatchObject({
      commandType: 'LINUX',
      user: '000000000000000000000000',
      launchType: 'MANUAL',
      deviceGroupIds: [seeded.deviceGroupIds[0]],
      clonedFromId: null,
    });
    expect(organization.policies.map((policy: { id: string }) => policy.id)).toEqual(seeded.policyIds);
    expect(organization.policies[0]).toMatchObject({
      templateId: WIFI_TEMPLATE.id,
      template: { name: 'wifi_configuration_darwin' },
    });
    expect(organization.policyGroups[1]).toMatchObject({ policyIds: [seeded.policyIds[1]] });
    expect(organization.userGroups.map((group: { memberUserIds: string[] }) => group.memberUserIds)).toEqual(
      seeded.userIds.map((id) => [id]),
    );
    expect(
      organization.deviceGroups.map((group: { memberDeviceIds: string[] }) => group.memberDeviceIds),
    ).toEqual(seeded.deviceIds.map((id) => [id]));
    expect(organization.ipLists.map((list: { ips: string[] }) => list.ips)).toEqual([
      ['10.0.0.0/24'],
      ['10.0.1.0/24'],
    ]);
    expect(organization.conditionalAccessPolicies[0]).toEqual({
      id: seeded.conditionalAccessPolicyIds[0],
      name: 'Office only 0',
      type: 'USER_PORTAL',
      disabled: false,
      conditions: { ipAddressIn: [seeded.ipListIds[0]] },
      targets: {
        userGroups: { inclusions: [seeded.userGroupIds[0]], exclusions: [] },
        resources: [{ type: 'USER_PORTAL', id: null }],
      },
      effect: { action: 'ALLOW', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }] } },
    });
    expect(organization.users.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      seeded.userIds,
    );
    expect(organization.devices.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      seeded.deviceIds,
    );
  });

  it('returns sensitive policy values as null with sensitive: true, and never the Duo secret', async () => {
    const result = await api.graphql<{ organization: { policies: { values: unknown[] }[] } }>(
      key,
      ORGANIZATION,
      {
        id: seeded.id,
      },
    );
    expect(dataOf(result).organization.policies[0]!.values).toEqual([
      { configFieldID: WIFI_TEMPLATE.ssid, value: null, sensitive: true },
      { configFieldID: WIFI_TEMPLATE.encryption, value: 'WPA2', sensitive: false },
      { configFieldID: WIFI_TEMPLATE.password, value: null, sensitive: true },
      { configFieldID: WIFI_TEMPLATE.autoJoin, value: true, sensitive: false },
    ]);
    expect(JSON.stringify(result)).not.toContain(MARKER);
    expect(await api.eventLogText()).not.toContain(MARKER);
    expect(api.logText()).not.toContain(MARKER);
  });

  it("answers NOT_FOUND for another provider's organization and for an unknown id", async () => {
    for (const id of [otherOrganizationId, 'no-such-organization']) {
      const result = await api.graphql(key, ORGANIZATION, { id });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
    }
  });

  it('answers NOT_FOUND to a LINKED administrator for an organization not linked to it', async () => {
    const { key: linkedKey } = await api.administrator(providerId, 'Read Only', {
      orgAccess: 'LINKED',
      linkedOrganizationIds: [],
    });
    const result = await api.graphql(linkedKey, ORGANIZATION, { id: seeded.id });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('policyTemplates', () => {
  it('answers the catalogue with JumpCloud display types in UPPER_CASE', async () => {
    const data = dataOf(
      await api.graphql<{
        policyTemplates: {
          id: string;
          osMetaFamily: string;
          configFields: { id: string; displayType: string; sensitive: boolean }[];
        }[];
      }>(
        key,
        '{ policyTemplates { id osMetaFamily configFields { id displayType sensitive required defaultValue displayOptions { values } } } }',
      ),
    );
    const wifi = data.policyTemplates.find((template) => template.id === WIFI_TEMPLATE.id);
    expect(wifi?.osMetaFamily).toBe('DARWIN');
    expect(wifi?.configFields.find((field) => field.id === WIFI_TEMPLATE.password)).toMatchObject({
      displayType: 'TEXT',
      sensitive: true,
    });
  });
});
