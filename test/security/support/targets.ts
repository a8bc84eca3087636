/**
 * What the security campaign aims at: an organization seeded through the API with dedicated items
 * for every mutation (so that running all of them in any order never makes one invalid for
 * another), administrators to grant and revoke, and a finished clone; and, keyed by operation name,
 * valid variables for every query, mutation and subscription of the schema.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import type { ApiServer } from '../../api/support/api-server.js';
import { dataOf } from '../../api/support/api-server.js';
import { createOrganization, ROOT, WIFI_TEMPLATE } from '../../api/support/seed.js';

export const LOGIN_WINDOW_TEMPLATE = { id: '64f0a1b2c3d4e5f601000001', text: '64f0a1b2c3d4e5f602010001' };

export interface OrganizationTargets {
  organizationId: string;
  users: { member: string; free: string; update: string; remove: string; caTarget: string };
  devices: { member: string; free: string; update: string; remove: string };
  deviceGroups: { hub: string; update: string; remove: string };
  userGroups: { hub: string; update: string; remove: string };
  commands: { bound: string; unbound: string; update: string; remove: string };
  policies: {
    bound: string;
    unbound: string;
    update: string;
    remove: string;
    member: string;
    nonMember: string;
  };
  policyGroups: { hub: string; bound: string; unbound: string; update: string; remove: string };
  ipLists: { used: string; update: string; remove: string };
  conditionalAccessPolicies: { update: string; remove: string };
}

/** Administrators of the provider that a grant or a revoke names. */
export interface AdministratorTargets {
  /** Has no access to the target organization: `grantAdminAccess` grants it. */
  grantee: string;
  /** Has access to the target organization: `revokeAdminAccess` revokes it. */
  revokee: string;
}

export interface CloneTarget {
  id: string;
  sourceOrganizationId: string;
  newOrganizationId: string;
}

export interface Targets extends OrganizationTargets {
  administrators: AdministratorTargets;
  clone: CloneTarget;
}

type Run = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

function runner(api: ApiServer, key: string): Run {
  return async (query, variables = {}) => dataOf(await api.graphql(key, query, variables));
}

async function add(
  run: Run,
  mutation: string,
  input: Record<string, unknown>,
  item: string,
): Promise<string> {
  const inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
  const data = await run(
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${item} { id } } }`,
    { input },
  );
  return ((data[mutation] as Record<string, { id: string }>)[item] as { id: string }).id;
}

/** Two administrators of the provider to grant and revoke access (Read Only: they act on nothing). */
export async function administratorTargets(
  api: ApiServer,
  providerId: string,
): Promise<AdministratorTargets> {
  const grantee = await api.administrator(providerId, 'Read Only');
  const revokee = await api.administrator(providerId, 'Read Only');
  return { grantee: grantee.administrator.id, revokee: revokee.administrator.id };
}

/**
 * A new organization, seeded with `key` (an administrator who may edit), holding one dedicated item
 * for each mutation that needs one. `revokee` gets access to it.
 */
export async function seedTargets(
  api: ApiServer,
  key: string,
  name: string,
  administrators: AdministratorTargets,
): Promise<OrganizationTargets> {
  const run = runner(api, key);
  const organizationId = await createOrganization(api, key, name);
  const on = { organizationId };
  const user = (label: string) =>
    add(run, 'addUser', { ...on, username: label, email: `${label}@example.com` }, 'user');
  const device = (label: string) =>
    add(run, 'addDevice', { ...on, hostname: label, os: 'Mac OS X 14.4' }, 'device');
  const users = {
    member: await user('member'),
    free: await user('free'),
    update: await user('update'),
    remove: await user('remove'),
    caTarget: await user('catarget'),
  };
  const devices = {
    member: await device('member'),
    free: await device('free'),
    update: await device('update'),
    remove: await device('remove'),
  };
  const deviceGroup = (label: string, memberDeviceIds: string[] = []) =>
    add(run, 'addDeviceGroup', { ...on, name: `Devices ${label}`, memberDeviceIds }, 'deviceGroup');
  const deviceGroups = {
    hub: await deviceGroup('hub', [devices.member]),
    update: await deviceGroup('update'),
    remove: await deviceGroup('remove'),
  };
  const userGroup = (label: string, memberUserIds: string[] = []) =>
    add(run, 'addUserGroup', { ...on, name: `Users ${label}`, memberUserIds }, 'userGroup');
  const userGroups = {
    hub: await userGroup('hub', [users.member]),
    update: await userGroup('update'),
    remove: await userGroup('remove'),
  };
  const command = (label: string, deviceGroupIds: string[] = []) =>
    add(
      run,
      'addCommand',
      {
        ...on,
        name: `Command ${label}`,
        command: 'echo hi',
        commandType: 'LINUX',
        user: ROOT,
        deviceGroupIds,
      },
      'command',
    );
  const commands = {
    bound: await command('bound', [deviceGroups.hub]),
    unbound: await command('unbound'),
    update: await command('update'),
    remove: await command('remove'),
  };
  const policy = (label: string, deviceGroupIds: string[] = []) =>
    add(
      run,
      'addPolicy',
      {
        ...on,
        name: `Policy ${label}`,
        templateId: LOGIN_WINDOW_TEMPLATE.id,
        values: [{ configFieldID: LOGIN_WINDOW_TEMPLATE.text, value: `Welcome ${label}` }],
        deviceGroupIds,
      },
      'policy',
    );
  const policies = {
    bound: await policy('bound', [deviceGroups.hub]),
    unbound: await policy('unbound'),
    update: await policy('update'),
    remove: await policy('remove'),
    member: await policy('member'),
    nonMember: await policy('nonmember'),
  };
  const policyGroup = (label: string, fields: { policyIds?: string[]; deviceGroupIds?: string[] } = {}) =>
    add(run, 'addPolicyGroup', { ...on, name: `Policies ${label}`, ...fields }, 'policyGroup');
  const policyGroups = {
    hub: await policyGroup('hub', { policyIds: [policies.member] }),
    bound: await policyGroup('bound', { deviceGroupIds: [deviceGroups.hub] }),
    unbound: await policyGroup('unbound'),
    update: await policyGroup('update'),
    remove: await policyGroup('remove'),
  };
  const ipList = (label: string, ips: string[]) =>
    add(run, 'addIpList', { ...on, name: `IPs ${label}`, ips }, 'ipList');
  const ipLists = {
    used: await ipList('used', ['10.0.0.0/24']),
    update: await ipList('update', ['10.0.1.0/24']),
    remove: await ipList('remove', ['10.0.2.1 - 10.0.2.9']),
  };
  const conditionalAccessPolicy = (label: string) =>
    add(
      run,
      'addConditionalAccessPolicy',
      {
        ...on,
        name: `Access ${label}`,
        type: 'USER_PORTAL',
        targets: { userGroups: { inclusions: [userGroups.hub] }, resources: [{ type: 'USER_PORTAL' }] },
        conditions: { ipAddressIn: [ipLists.used] },
        effect: { action: 'ALLOW', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }] } },
      },
      'conditionalAccessPolicy',
    );
  const conditionalAccessPolicies = {
    update: await conditionalAccessPolicy('update'),
    remove: await conditionalAccessPolicy('remove'),
  };
  await run(`mutation ($input: ConfigureDuoInput!) { configureDuo(input: $input) { id } }`, {
    input: { ...DUO, ...on },
  });
  await run(
    `mutation ($input: AdminAccessInput!) { grantAdminAccess(input: $input) { organization { id } } }`,
    { input: { ...on, administratorId: administrators.revokee } },
  );
  return {
    organizationId,
    users,
    devices,
    deviceGroups,
    userGroups,
    commands,
    policies,
    policyGroups,
    ipLists,
    conditionalAccessPolicies,
  };
}

const DUO = {
  accountId: 'DA1234',
  apiHost: 'api-1234abcd.duosecurity.com',
  integrationKey: 'DIXXXXXXXXXXXXXXXXXX',
  secretKey: 'DuoSecretKeyOfTheTargets0000000000000000',
};

const OPERATION_STATUS = `query ($id: ID!) { cloneOperation(id: $id) { status } }`;

/** Waits until the clone has the status (the clone runner of the API's process runs it). */
export async function waitForCloneStatus(api: ApiServer, key: string, cloneId: string, status: string) {
  await vi.waitFor(
    async () => {
      const data = dataOf(
        await api.graphql<{ cloneOperation: { status: string } }>(key, OPERATION_STATUS, { id: cloneId }),
      );
      if (data.cloneOperation.status !== status)
        throw new Error(`clone ${cloneId} is ${data.cloneOperation.status}`);
    },
    { timeout: 20_000, interval: 25 },
  );
}

/** A finished clone of `sourceOrganizationId`, requested with `key` (Administrator With Billing, PAID). */
export async function completedClone(
  api: ApiServer,
  key: string,
  sourceOrganizationId: string,
): Promise<CloneTarget> {
  const data = dataOf(
    await api.graphql<{ cloneOrganization: { id: string; targetOrganizationId: string } }>(
      key,
      `mutation ($input: CloneOrganizationInput!) { cloneOrganization(input: $input) { id targetOrganizationId } }`,
      { input: { sourceOrganizationId, name: `Clone ${randomUUID().slice(0, 8)}` } },
    ),
  );
  await waitForCloneStatus(api, key, data.cloneOrganization.id, 'COMPLETED');
  return {
    id: data.cloneOrganization.id,
    sourceOrganizationId,
    newOrganizationId: data.cloneOrganization.targetOrganizationId,
  };
}

/** Valid variables of one operation against the targets; `unique` keeps new names apart. */
export type ValidVariables = (targets: Targets, unique: string) => Record<string, unknown>;

function input(build: (targets: Targets, unique: string) => Record<string, unknown>): ValidVariables {
  return (targets, unique) => ({
    input: { organizationId: targets.organizationId, ...build(targets, unique) },
  });
}

/**
 * Valid variables of every mutation, keyed by its name. Each uses its own items of the targets, and
 * fills in most optional fields too, so that a fuzzer that replaces one field keeps the others valid.
 */
export const VALID_MUTATION_VARIABLES: Readonly<Record<string, ValidVariables>> = {
  createOrganization: (_targets, unique) => ({ input: { displayName: `Created ${unique}` } }),
  updateOrganizationSettings: input(() => ({
    settings: {
      userPortal: {
        systemUsersCanEdit: false,
        enableUserPortalAgentInstall: true,
        idleSessionDurationMinutes: 60,
        cookieExpirationType: 'SESSION',
      },
      passwordRecoveryEmail: { enableRecoveryEmail: true },
      adminManagement: { disableGoogleLogin: true },
      passwordSettings: {
        passwordCompliance: 'CUSTOM',
        passwordPolicy: { enableMinLength: true, minLength: 12, enableMaxHistory: true, maxHistory: 5 },
      },
      uidGidManagement: { enableManagedUID: true },
      passwordConfigurations: {
        m365: { userLockoutAction: 'SUSPEND', userPasswordExpirationAction: 'MAINTAIN' },
        ldap: { userLockoutAction: 'DISABLE', userPasswordExpirationAction: 'REMOVE' },
      },
    },
  })),
  setOrganizationFeatures: input(() => ({
    directoryInsights: true,
    systemInsights: true,
    remoteAssist: false,
  })),
  configureMfa: input(() => ({
    push: { enabled: true },
    totp: { enabled: true },
    webAuthn: { enabled: true, allowSelfRegistration: true },
  })),
  configureDuo: input(() => DUO),
  removeDuo: input(() => ({})),
  grantAdminAccess: input((targets) => ({ administratorId: targets.administrators.grantee })),
  revokeAdminAccess: input((targets) => ({ administratorId: targets.administrators.revokee })),

  addCommand: input((targets, unique) => ({
    name: `Command ${unique}`,
    command: 'Get-Process',
    commandType: 'WINDOWS',
    description: 'lists processes',
    deviceGroupIds: [targets.deviceGroups.hub],
    files: ['5f0c1e2d3a4b5c6d7e8f9a0b'],
    launchType: 'MANUAL',
    shell: 'powershell',
    sudo: false,
    timeout: 120,
  })),
  updateCommand: input((targets) => ({
    commandId: targets.commands.update,
    command: 'echo changed',
    description: 'changed',
    files: ['5f0c1e2d3a4b5c6d7e8f9a0c'],
    launchType: 'REPEATED',
    schedule: '0 * * * *',
    scheduleRepeatType: 'hour',
    shell: '/bin/zsh',
    sudo: true,
    timeout: 600,
  })),
  removeCommand: input((targets) => ({ commandId: targets.commands.remove })),
  bindDeviceGroupToCommand: input((targets) => ({
    commandId: targets.commands.unbound,
    deviceGroupId: targets.deviceGroups.hub,
  })),
  unbindDeviceGroupFromCommand: input((targets) => ({
    commandId: targets.commands.bound,
    deviceGroupId: targets.deviceGroups.hub,
  })),

  addPolicy: input((targets, unique) => ({
    name: `Wi-Fi ${unique}`,
    notes: 'office network',
    templateId: WIFI_TEMPLATE.id,
    values: [
      { configFieldID: WIFI_TEMPLATE.ssid, value: 'office' },
      { configFieldID: WIFI_TEMPLATE.encryption, value: 'WPA2' },
      { configFieldID: WIFI_TEMPLATE.password, value: 'wifi-password', sensitive: true },
      { configFieldID: WIFI_TEMPLATE.autoJoin, value: true },
    ],
    deviceGroupIds: [targets.deviceGroups.hub],
  })),
  updatePolicy: input((targets) => ({
    policyId: targets.policies.update,
    name: 'Policy updated',
    notes: 'changed',
    setValues: [{ configFieldID: LOGIN_WINDOW_TEMPLATE.text, value: 'Changed text', sensitive: false }],
    unsetValues: [],
  })),
  removePolicy: input((targets) => ({ policyId: targets.policies.remove })),
  bindDeviceGroupToPolicy: input((targets) => ({
    policyId: targets.policies.unbound,
    deviceGroupId: targets.deviceGroups.hub,
  })),
  unbindDeviceGroupFromPolicy: input((targets) => ({
    policyId: targets.policies.bound,
    deviceGroupId: targets.deviceGroups.hub,
  })),
  addPolicyGroup: input((targets, unique) => ({
    name: `Policies ${unique}`,
    description: 'a group',
    policyIds: [targets.policies.member],
    deviceGroupIds: [targets.deviceGroups.hub],
  })),
  updatePolicyGroup: input((targets) => ({
    policyGroupId: targets.policyGroups.update,
    name: 'Policies updated',
    description: 'changed',
  })),
  removePolicyGroup: input((targets) => ({ policyGroupId: targets.policyGroups.remove })),
  addPolicyToPolicyGroup: input((targets) => ({
    policyGroupId: targets.policyGroups.hub,
    policyId: targets.policies.nonMember,
  })),
  removePolicyFromPolicyGroup: input((targets) => ({
    policyGroupId: targets.policyGroups.hub,
    policyId: targets.policies.member,
  })),
  bindDeviceGroupToPolicyGroup: input((targets) => ({
    policyGroupId: targets.policyGroups.unbound,
    deviceGroupId: targets.deviceGroups.hub,
  })),
  unbindDeviceGroupFromPolicyGroup: input((targets) => ({
    policyGroupId: targets.policyGroups.bound,
    deviceGroupId: targets.deviceGroups.hub,
  })),

  addUserGroup: input((targets, unique) => ({
    name: `Users ${unique}`,
    description: 'a group',
    email: `group-${unique}@example.com`,
    attributes: {
      sudo: { enabled: true, withoutPassword: false },
      ldapGroups: [{ name: 'staff' }],
      posixGroups: [{ id: 5000, name: 'staff' }],
      radius: { reply: [{ name: 'Session-Timeout', value: '3600' }] },
      sambaEnabled: false,
    },
    bindings: [{ type: 'APPLICATION', id: '5f0c1e2d3a4b5c6d7e8f9a0d' }],
    membershipMethod: 'DYNAMIC_REVIEW_REQUIRED',
    memberQuery: { filters: [{ field: 'department', operator: 'EQ', value: 'Sales' }] },
    memberQueryExemptions: [{ id: targets.users.member }],
    memberUserIds: [targets.users.member],
  })),
  updateUserGroup: input((targets) => ({
    userGroupId: targets.userGroups.update,
    name: 'Users updated',
    description: 'changed',
    email: 'updated@example.com',
    attributes: { sambaEnabled: true, sudo: { enabled: true, withoutPassword: true } },
    bindings: [{ type: 'LDAP_SERVER', id: '5f0c1e2d3a4b5c6d7e8f9a0e' }],
    membershipMethod: 'DYNAMIC_AUTOMATED',
    memberQuery: { filters: [{ field: 'title', operator: 'NE', value: 'Intern' }] },
    memberQueryExemptions: [{ id: targets.users.update }],
  })),
  removeUserGroup: input((targets) => ({ userGroupId: targets.userGroups.remove })),
  addUserToUserGroup: input((targets) => ({
    userGroupId: targets.userGroups.hub,
    userId: targets.users.free,
  })),
  removeUserFromUserGroup: input((targets) => ({
    userGroupId: targets.userGroups.hub,
    userId: targets.users.member,
  })),

  addDeviceGroup: input((targets, unique) => ({
    name: `Devices ${unique}`,
    description: 'a group',
    attributes: { location: 'HQ', floors: [1, 2] },
    mdm: { adeDefaultEnrollmentGroup: false, appleMdmDefaultEnrollmentGroup: false },
    memberDeviceIds: [targets.devices.member],
    membershipMethod: 'STATIC',
  })),
  updateDeviceGroup: input((targets) => ({
    deviceGroupId: targets.deviceGroups.update,
    name: 'Devices updated',
    description: 'changed',
    attributes: { location: 'Branch' },
    mdm: { adeDefaultEnrollmentGroup: false, appleMdmDefaultEnrollmentGroup: false },
    membershipMethod: 'DYNAMIC_AUTOMATED',
    memberQuery: { filters: [{ field: 'os', operator: 'EQ', value: 'Mac OS X' }] },
  })),
  removeDeviceGroup: input((targets) => ({ deviceGroupId: targets.deviceGroups.remove })),
  addDeviceToDeviceGroup: input((targets) => ({
    deviceGroupId: targets.deviceGroups.hub,
    deviceId: targets.devices.free,
  })),
  removeDeviceFromDeviceGroup: input((targets) => ({
    deviceGroupId: targets.deviceGroups.hub,
    deviceId: targets.devices.member,
  })),

  addUser: input((_targets, unique) => ({ username: `user-${unique}`, email: `user-${unique}@example.com` })),
  updateUser: input((targets, unique) => ({
    userId: targets.users.update,
    username: `renamed-${unique}`,
    email: `renamed-${unique}@example.com`,
  })),
  removeUser: input((targets) => ({ userId: targets.users.remove })),
  addDevice: input((_targets, unique) => ({ hostname: `host-${unique}`, os: 'Windows 11' })),
  updateDevice: input((targets, unique) => ({
    deviceId: targets.devices.update,
    hostname: `renamed-${unique}`,
    os: 'Ubuntu 24.04',
  })),
  removeDevice: input((targets) => ({ deviceId: targets.devices.remove })),

  addIpList: input((_targets, unique) => ({
    name: `IPs ${unique}`,
    description: 'branch',
    ips: ['192.168.1.0/24', '192.168.2.1', '192.168.3.1 - 192.168.3.20'],
  })),
  updateIpList: input((targets) => ({
    ipListId: targets.ipLists.update,
    name: 'IPs updated',
    description: 'changed',
    ips: ['172.16.0.0/12'],
  })),
  removeIpList: input((targets) => ({ ipListId: targets.ipLists.remove })),
  addConditionalAccessPolicy: input((targets, unique) => ({
    name: `Access ${unique}`,
    description: 'office only',
    disabled: false,
    type: 'USER_PORTAL',
    targets: {
      users: { inclusions: [targets.users.caTarget] },
      userGroups: { inclusions: [targets.userGroups.hub], exclusions: [targets.userGroups.update] },
      resources: [{ type: 'USER_PORTAL' }],
    },
    conditions: { all: [{ ipAddressIn: [targets.ipLists.used] }, { not: { deviceManaged: false } }] },
    effect: { action: 'ALLOW', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'WEBAUTHN' }] } },
  })),
  updateConditionalAccessPolicy: input((targets) => ({
    conditionalAccessPolicyId: targets.conditionalAccessPolicies.update,
    name: 'Access updated',
    description: 'changed',
    disabled: true,
    type: 'USER_PORTAL',
    targets: {
      users: { inclusions: [targets.users.caTarget] },
      userGroups: { inclusions: [targets.userGroups.hub] },
      resources: [{ type: 'USER_PORTAL' }],
    },
    conditions: { any: [{ locationIn: { countries: ['DE'] } }, { deviceEncrypted: true }] },
    effect: { action: 'DENY' },
  })),
  removeConditionalAccessPolicy: input((targets) => ({
    conditionalAccessPolicyId: targets.conditionalAccessPolicies.remove,
  })),

  cloneOrganization: (targets, unique) => ({
    input: {
      sourceOrganizationId: targets.organizationId,
      name: `Clone ${unique}`,
      selection: {
        deselectedCategories: ['USER_PORTAL'],
        deselectedItemIds: [targets.commands.remove],
        features: [{ feature: 'REMOTE_ASSIST', choice: 'JUMPCLOUD_DEFAULT' }],
        deselectedAdminIds: [targets.administrators.revokee],
      },
      idempotencyKey: `key-${unique}`,
    },
  }),
  discardClonedOrganization: (targets) => ({ cloneId: targets.clone.id, force: true }),
};

/** Valid variables of every query, keyed by its name. */
export const VALID_QUERY_VARIABLES: Readonly<Record<string, ValidVariables>> = {
  me: () => ({}),
  policyTemplates: () => ({}),
  organization: (targets) => ({ id: targets.organizationId }),
  organizations: () => ({ first: 20, search: 'e' }),
  clonePreview: (targets, unique) => ({
    input: {
      sourceOrganizationId: targets.organizationId,
      name: `Preview ${unique}`,
      selection: {
        deselectedCategories: ['MFA'],
        deselectedItemIds: [targets.policies.update],
        features: [{ feature: 'SYSTEM_INSIGHTS', choice: 'KEEP_SOURCE' }],
        deselectedAdminIds: [targets.administrators.revokee],
      },
      idempotencyKey: `preview-${unique}`,
    },
  }),
  cloneOperation: (targets) => ({ id: targets.clone.id }),
  cloneOperations: (targets) => ({
    first: 20,
    filter: { sourceOrganizationId: targets.clone.sourceOrganizationId, status: 'COMPLETED' },
  }),
};

/** Valid variables of every subscription, keyed by its name. */
export const VALID_SUBSCRIPTION_VARIABLES: Readonly<Record<string, ValidVariables>> = {
  cloneProgress: (targets) => ({ cloneId: targets.clone.id }),
};

/** Every id the targets hold (organization, items, administrators, clone), each with its kind. */
export function idsOf(targets: Targets): Map<string, string> {
  const ids = new Map<string, string>([
    [targets.organizationId, 'organization'],
    [targets.administrators.grantee, 'administrator'],
    [targets.administrators.revokee, 'administrator'],
    [targets.clone.id, 'clone'],
    [targets.clone.sourceOrganizationId, 'organization'],
    [targets.clone.newOrganizationId, 'organization'],
  ]);
  const kinds = {
    users: 'user',
    devices: 'device',
    deviceGroups: 'deviceGroup',
    userGroups: 'userGroup',
    commands: 'command',
    policies: 'policy',
    policyGroups: 'policyGroup',
    ipLists: 'ipList',
    conditionalAccessPolicies: 'conditionalAccessPolicy',
  } as const;
  for (const [group, kind] of Object.entries(kinds)) {
    for (const id of Object.values(targets[group as keyof typeof kinds])) ids.set(id, kind);
  }
  return ids;
}
