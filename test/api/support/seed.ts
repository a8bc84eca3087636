/** Organizations built through the API itself, with every kind of item. */
import type { ApiServer } from './api-server.js';
import { dataOf } from './api-server.js';

export const WIFI_TEMPLATE = {
  id: '64f0a1b2c3d4e5f601000003',
  ssid: '64f0a1b2c3d4e5f602030001',
  encryption: '64f0a1b2c3d4e5f602030002',
  password: '64f0a1b2c3d4e5f602030003',
  autoJoin: '64f0a1b2c3d4e5f602030004',
};
export const ROOT = '000000000000000000000000';

export interface SeededOrganization {
  id: string;
  deviceGroupIds: string[];
  userGroupIds: string[];
  commandIds: string[];
  policyIds: string[];
  policyGroupIds: string[];
  userIds: string[];
  deviceIds: string[];
  ipListIds: string[];
  conditionalAccessPolicyIds: string[];
}

type Run = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

function runner(api: ApiServer, key: string): Run {
  return async (query, variables = {}) => dataOf(await api.graphql(key, query, variables));
}

/** Runs `mutation(input)`; its input type is named after it unless `inputType` says otherwise. */
async function mutate<T>(
  run: Run,
  mutation: string,
  input: Record<string, unknown>,
  select: string,
  inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`,
): Promise<T> {
  const data = await run(`mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${select} } }`, {
    input,
  });
  return data[mutation] as T;
}

export async function createOrganization(api: ApiServer, key: string, displayName: string): Promise<string> {
  const run = runner(api, key);
  const created = await mutate<{ id: string }>(run, 'createOrganization', { displayName }, 'id');
  return created.id;
}

/**
 * An organization with `size` items of every kind, linked to one another: device groups bound to
 * commands and policies, users in user groups, devices in device groups, policies in policy groups,
 * a conditional access policy per user group using an IP list. `marker` is planted in every
 * sensitive place (policy values, the Duo secret key); letters and digits only, at most 37.
 */
export async function seedOrganization(
  api: ApiServer,
  key: string,
  options: { name: string; size: number; marker: string; administratorIds?: string[] },
): Promise<SeededOrganization> {
  const run = runner(api, key);
  const id = await createOrganization(api, key, options.name);
  const seeded: SeededOrganization = {
    id,
    deviceGroupIds: [],
    userGroupIds: [],
    commandIds: [],
    policyIds: [],
    policyGroupIds: [],
    userIds: [],
    deviceIds: [],
    ipListIds: [],
    conditionalAccessPolicyIds: [],
  };
  const organizationId = id;
  for (let n = 0; n < options.size; n++) {
    const user = await mutate<{ user: { id: string } }>(
      run,
      'addUser',
      { organizationId, username: `user${n}`, email: `user${n}@example.com` },
      'user { id }',
    );
    seeded.userIds.push(user.user.id);
    const device = await mutate<{ device: { id: string } }>(
      run,
      'addDevice',
      { organizationId, hostname: `host-${n}`, os: 'Mac OS X 14.4' },
      'device { id }',
    );
    seeded.deviceIds.push(device.device.id);
    const deviceGroup = await mutate<{ deviceGroup: { id: string } }>(
      run,
      'addDeviceGroup',
      { organizationId, name: `Devices ${n}`, memberDeviceIds: [device.device.id] },
      'deviceGroup { id }',
    );
    seeded.deviceGroupIds.push(deviceGroup.deviceGroup.id);
    const userGroup = await mutate<{ userGroup: { id: string } }>(
      run,
      'addUserGroup',
      { organizationId, name: `Users ${n}`, memberUserIds: [user.user.id] },
      'userGroup { id }',
    );
    seeded.userGroupIds.push(userGroup.userGroup.id);
    const command = await mutate<{ command: { id: string } }>(
      run,
      'addCommand',
      {
        organizationId,
        name: `Command ${n}`,
        command: 'echo hello',
        commandType: 'LINUX',
        user: ROOT,
        deviceGroupIds: [deviceGroup.deviceGroup.id],
      },
      'command { id }',
    );
    seeded.commandIds.push(command.command.id);
    const policy = await mutate<{ policy: { id: string } }>(
      run,
      'addPolicy',
      {
        organizationId,
        name: `Wi-Fi ${n}`,
        templateId: WIFI_TEMPLATE.id,
        values: [
          { configFieldID: WIFI_TEMPLATE.ssid, value: `ssid-${options.marker}` },
          { configFieldID: WIFI_TEMPLATE.encryption, value: 'WPA2' },
          { configFieldID: WIFI_TEMPLATE.password, value: `password-${options.marker}` },
          { configFieldID: WIFI_TEMPLATE.autoJoin, value: true },
        ],
        deviceGroupIds: [deviceGroup.deviceGroup.id],
      },
      'policy { id }',
    );
    seeded.policyIds.push(policy.policy.id);
    const policyGroup = await mutate<{ policyGroup: { id: string } }>(
      run,
      'addPolicyGroup',
      { organizationId, name: `Policies ${n}`, policyIds: [policy.policy.id] },
      'policyGroup { id }',
    );
    seeded.policyGroupIds.push(policyGroup.policyGroup.id);
    const ipList = await mutate<{ ipList: { id: string } }>(
      run,
      'addIpList',
      { organizationId, name: `Office ${n}`, ips: [`10.0.${n}.0/24`] },
      'ipList { id }',
    );
    seeded.ipListIds.push(ipList.ipList.id);
    const policyOfAccess = await mutate<{ conditionalAccessPolicy: { id: string } }>(
      run,
      'addConditionalAccessPolicy',
      {
        organizationId,
        name: `Office only ${n}`,
        type: 'USER_PORTAL',
        targets: {
          userGroups: { inclusions: [userGroup.userGroup.id] },
          resources: [{ type: 'USER_PORTAL' }],
        },
        conditions: { ipAddressIn: [ipList.ipList.id] },
        effect: { action: 'ALLOW', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }] } },
      },
      'conditionalAccessPolicy { id }',
    );
    seeded.conditionalAccessPolicyIds.push(policyOfAccess.conditionalAccessPolicy.id);
  }
  await mutate(
    run,
    'configureDuo',
    {
      organizationId,
      accountId: 'DA1234',
      apiHost: 'api-1234abcd.duosecurity.com',
      integrationKey: 'DIXXXXXXXXXXXXXXXXXX',
      secretKey: `Duo${options.marker}`.padEnd(40, '0'),
    },
    'id',
  );
  for (const administratorId of options.administratorIds ?? []) {
    await mutate(
      run,
      'grantAdminAccess',
      { organizationId, administratorId },
      'organization { id }',
      'AdminAccessInput',
    );
  }
  return seeded;
}
