/**
 * Organization histories written through the real decider into a real store: one rich organization
 * whose stream holds every event type, a discarded one, and two created by a clone (one of them
 * provisioned). Sensitive values carry marker strings that must never reach a read model.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { handleCommand } from '../../../src/application/command-handler.js';
import { organizationStreamId } from '../../../src/application/streams.js';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import type { OrganizationEventType } from '../../../src/domain/organization/events.js';
import { ROOT_USER_ID } from '../../../src/domain/organization/model.js';
import type { EventStore } from '../../../src/eventstore/types.js';
import { Sealer } from '../../../src/security/sealer.js';

export const MARKERS = {
  wifiPassword: 'wifi-password-MARKER-7f3a61',
  ssid: 'ssid-MARKER-91bc4e',
  certificatePassphrase: 'passphrase-MARKER-c0ffee',
  certificateFile: Buffer.from('certificate-MARKER-5ca1ab1e').toString('base64'),
  duoSecret: 'DUOSECRETMARKER0123456789abcdefghijklmno',
} as const;

/** Every type of the organization stream: the exhaustive record fails to compile when one is added. */
const EVENT_TYPES: Record<OrganizationEventType, true> = {
  OrganizationCreated: true,
  OrganizationProvisioned: true,
  OrganizationDiscarded: true,
  SettingsUpdated: true,
  ProprietarySettingsUpdated: true,
  FeaturesSet: true,
  CommandAdded: true,
  CommandUpdated: true,
  CommandRemoved: true,
  PolicyAdded: true,
  PolicyUpdated: true,
  PolicyRemoved: true,
  PolicyGroupAdded: true,
  PolicyGroupUpdated: true,
  PolicyGroupRemoved: true,
  UserGroupAdded: true,
  UserGroupUpdated: true,
  UserGroupRemoved: true,
  DeviceGroupAdded: true,
  DeviceGroupUpdated: true,
  DeviceGroupRemoved: true,
  UserAdded: true,
  UserUpdated: true,
  UserRemoved: true,
  DeviceAdded: true,
  DeviceUpdated: true,
  DeviceRemoved: true,
  IpListAdded: true,
  IpListUpdated: true,
  IpListRemoved: true,
  ConditionalAccessPolicyAdded: true,
  ConditionalAccessPolicyUpdated: true,
  ConditionalAccessPolicyRemoved: true,
  UserAddedToUserGroup: true,
  UserRemovedFromUserGroup: true,
  DeviceAddedToDeviceGroup: true,
  DeviceRemovedFromDeviceGroup: true,
  PolicyAddedToPolicyGroup: true,
  PolicyRemovedFromPolicyGroup: true,
  DeviceGroupBoundToCommand: true,
  DeviceGroupUnboundFromCommand: true,
  DeviceGroupBoundToPolicy: true,
  DeviceGroupUnboundFromPolicy: true,
  DeviceGroupBoundToPolicyGroup: true,
  DeviceGroupUnboundFromPolicyGroup: true,
  MfaConfigured: true,
  DuoConfigured: true,
  DuoRemoved: true,
  AdminAccessGranted: true,
  AdminAccessRevoked: true,
};
export const ORGANIZATION_EVENT_TYPES = Object.keys(EVENT_TYPES).sort();

export const PROVIDER = 'provider-1';
export const RICH = 'org-rich';
export const DISCARDED = 'org-discarded';
export const CLONED = 'org-cloned';
export const STILL_CLONING = 'org-cloning';

const WIFI_TEMPLATE = '64f0a1b2c3d4e5f601000003';
const CERTIFICATE_TEMPLATE = '64f0a1b2c3d4e5f601000004';
const LOCK_SCREEN_TEMPLATE = '64f0a1b2c3d4e5f601000005';
const WIFI = {
  ssid: '64f0a1b2c3d4e5f602030001',
  encryption: '64f0a1b2c3d4e5f602030002',
  password: '64f0a1b2c3d4e5f602030003',
  autoJoin: '64f0a1b2c3d4e5f602030004',
};

const create = (organizationId: string, displayName: string, cloneOf?: string): OrganizationCommand => ({
  type: 'CreateOrganization',
  data: {
    organizationId,
    providerId: PROVIDER,
    displayName,
    created: '2025-01-02T03:04:05.000Z',
    ...(cloneOf
      ? { clonedFrom: { cloneId: `clone-of-${cloneOf}`, sourceOrganizationId: cloneOf, sourceVersion: '7' } }
      : {}),
  },
});

/** The rich organization's commands, in order; some append several events (removals detach first). */
const RICH_COMMANDS: OrganizationCommand[] = [
  create(RICH, 'Acme Corp'),
  {
    type: 'UpdateSettings',
    data: {
      settings: {
        USER_PORTAL: { idleSessionDurationMinutes: 120 },
        PASSWORD_SETTINGS: { passwordPolicy: { minLength: 12 } },
      },
    },
  },
  { type: 'UpdateProprietarySettings', data: { settings: { contactName: 'Ann Admin' } } },
  { type: 'SetFeatures', data: { features: { directoryInsights: true } } },
  { type: 'AddUser', data: { userId: 'user-1', username: 'ann', email: 'ann@acme.example' } },
  { type: 'AddUser', data: { userId: 'user-2', username: 'bob', email: 'bob@acme.example' } },
  { type: 'AddUser', data: { userId: 'user-3', username: 'cid', email: 'cid@acme.example' } },
  { type: 'UpdateUser', data: { userId: 'user-1', email: 'ann@acme.test' } },
  { type: 'AddDevice', data: { deviceId: 'device-1', hostname: 'mac-1.acme.example', os: 'Mac OS X' } },
  { type: 'AddDevice', data: { deviceId: 'device-2', hostname: 'win-1.acme.example', os: 'Windows' } },
  { type: 'UpdateDevice', data: { deviceId: 'device-1', os: 'macOS' } },
  { type: 'AddUserGroup', data: { userGroupId: 'ug-staff', name: 'Staff', memberUserIds: ['user-1'] } },
  { type: 'UpdateUserGroup', data: { userGroupId: 'ug-staff', description: 'Everyone on payroll' } },
  { type: 'AddUserToUserGroup', data: { userGroupId: 'ug-staff', userId: 'user-2' } },
  { type: 'AddUserToUserGroup', data: { userGroupId: 'ug-staff', userId: 'user-3' } },
  { type: 'RemoveUserFromUserGroup', data: { userGroupId: 'ug-staff', userId: 'user-1' } },
  { type: 'AddUserGroup', data: { userGroupId: 'ug-temp', name: 'Temporary' } },
  { type: 'RemoveUserGroup', data: { userGroupId: 'ug-temp' } },
  { type: 'AddDeviceGroup', data: { deviceGroupId: 'dg-macs', name: 'Macs' } },
  { type: 'UpdateDeviceGroup', data: { deviceGroupId: 'dg-macs', description: 'All Macs' } },
  { type: 'AddDeviceToDeviceGroup', data: { deviceGroupId: 'dg-macs', deviceId: 'device-1' } },
  { type: 'AddDeviceToDeviceGroup', data: { deviceGroupId: 'dg-macs', deviceId: 'device-2' } },
  { type: 'RemoveDeviceFromDeviceGroup', data: { deviceGroupId: 'dg-macs', deviceId: 'device-1' } },
  { type: 'AddDeviceGroup', data: { deviceGroupId: 'dg-temp', name: 'Temporary devices' } },
  {
    type: 'AddCommand',
    data: {
      commandId: 'cmd-update',
      name: 'Update',
      command: 'apt-get update',
      commandType: 'linux',
      user: ROOT_USER_ID,
    },
  },
  { type: 'UpdateCommand', data: { commandId: 'cmd-update', name: 'Update packages' } },
  { type: 'BindDeviceGroupToCommand', data: { deviceGroupId: 'dg-macs', commandId: 'cmd-update' } },
  { type: 'BindDeviceGroupToCommand', data: { deviceGroupId: 'dg-temp', commandId: 'cmd-update' } },
  { type: 'UnbindDeviceGroupFromCommand', data: { deviceGroupId: 'dg-macs', commandId: 'cmd-update' } },
  {
    type: 'AddCommand',
    data: { commandId: 'cmd-old', name: 'Old', command: 'dir', commandType: 'windows' },
  },
  { type: 'RemoveCommand', data: { commandId: 'cmd-old' } },
  {
    type: 'AddPolicy',
    data: {
      policyId: 'pol-wifi',
      name: 'Office Wi-Fi',
      templateId: WIFI_TEMPLATE,
      values: [
        { configFieldID: WIFI.ssid, value: MARKERS.ssid, sensitive: false },
        { configFieldID: WIFI.encryption, value: 'WPA2', sensitive: false },
        { configFieldID: WIFI.password, value: MARKERS.wifiPassword, sensitive: false },
      ],
    },
  },
  {
    type: 'UpdatePolicy',
    data: {
      policyId: 'pol-wifi',
      setValues: [{ configFieldID: WIFI.autoJoin, value: false, sensitive: false }],
    },
  },
  {
    type: 'AddPolicy',
    data: {
      policyId: 'pol-lock',
      name: 'Lock screen',
      templateId: LOCK_SCREEN_TEMPLATE,
      values: [{ configFieldID: '64f0a1b2c3d4e5f602050002', value: 5, sensitive: false }],
    },
  },
  {
    type: 'AddPolicy',
    data: {
      policyId: 'pol-cert',
      name: 'Root certificate',
      templateId: CERTIFICATE_TEMPLATE,
      values: [
        {
          configFieldID: '64f0a1b2c3d4e5f602040001',
          value: { name: 'root.p12', contentBase64: MARKERS.certificateFile },
          sensitive: false,
        },
        { configFieldID: '64f0a1b2c3d4e5f602040002', value: MARKERS.certificatePassphrase, sensitive: false },
        { configFieldID: '64f0a1b2c3d4e5f602040003', value: 'System', sensitive: false },
      ],
    },
  },
  { type: 'BindDeviceGroupToPolicy', data: { deviceGroupId: 'dg-macs', policyId: 'pol-wifi' } },
  { type: 'BindDeviceGroupToPolicy', data: { deviceGroupId: 'dg-temp', policyId: 'pol-wifi' } },
  { type: 'UnbindDeviceGroupFromPolicy', data: { deviceGroupId: 'dg-temp', policyId: 'pol-wifi' } },
  { type: 'AddPolicyGroup', data: { policyGroupId: 'pg-base', name: 'Baseline', policyIds: ['pol-wifi'] } },
  { type: 'UpdatePolicyGroup', data: { policyGroupId: 'pg-base', description: 'Every device' } },
  { type: 'AddPolicyToPolicyGroup', data: { policyGroupId: 'pg-base', policyId: 'pol-lock' } },
  { type: 'AddPolicyToPolicyGroup', data: { policyGroupId: 'pg-base', policyId: 'pol-cert' } },
  { type: 'RemovePolicyFromPolicyGroup', data: { policyGroupId: 'pg-base', policyId: 'pol-wifi' } },
  { type: 'BindDeviceGroupToPolicyGroup', data: { deviceGroupId: 'dg-macs', policyGroupId: 'pg-base' } },
  { type: 'BindDeviceGroupToPolicyGroup', data: { deviceGroupId: 'dg-temp', policyGroupId: 'pg-base' } },
  { type: 'UnbindDeviceGroupFromPolicyGroup', data: { deviceGroupId: 'dg-macs', policyGroupId: 'pg-base' } },
  { type: 'AddPolicyGroup', data: { policyGroupId: 'pg-temp', name: 'Temporary policies' } },
  { type: 'RemovePolicyGroup', data: { policyGroupId: 'pg-temp' } },
  // Detaches pol-lock from pg-base first (PolicyRemovedFromPolicyGroup).
  { type: 'RemovePolicy', data: { policyId: 'pol-lock' } },
  // Unbinds dg-temp from cmd-update and pg-base first.
  { type: 'RemoveDeviceGroup', data: { deviceGroupId: 'dg-temp' } },
  { type: 'AddIpList', data: { ipListId: 'ip-office', name: 'Office', ips: ['203.0.113.0/24'] } },
  { type: 'UpdateIpList', data: { ipListId: 'ip-office', ips: ['203.0.113.0/24', '198.51.100.7'] } },
  { type: 'AddIpList', data: { ipListId: 'ip-old', name: 'Old office', ips: ['192.0.2.1 - 192.0.2.9'] } },
  { type: 'RemoveIpList', data: { ipListId: 'ip-old' } },
  {
    type: 'AddConditionalAccessPolicy',
    data: {
      conditionalAccessPolicyId: 'ca-offsite',
      name: 'MFA off-site',
      type: 'user_portal',
      targets: { userGroups: { inclusions: ['ug-staff'] }, resources: [{ type: 'user_portal' }] },
      conditions: { not: { ipAddressIn: ['ip-office'] } },
      effect: { action: 'allow', obligations: { mfa: { required: true } } },
    },
  },
  {
    type: 'UpdateConditionalAccessPolicy',
    data: { conditionalAccessPolicyId: 'ca-offsite', disabled: true },
  },
  {
    type: 'AddConditionalAccessPolicy',
    data: {
      conditionalAccessPolicyId: 'ca-old',
      name: 'Old rule',
      type: 'admin_portal',
      targets: { users: { inclusions: ['ALL'] }, resources: [{ type: 'admin_portal' }] },
      effect: { action: 'deny' },
    },
  },
  { type: 'RemoveConditionalAccessPolicy', data: { conditionalAccessPolicyId: 'ca-old' } },
  { type: 'ConfigureMfa', data: { push: { enabled: true }, webAuthn: { enabled: true } } },
  {
    type: 'ConfigureDuo',
    data: {
      accountId: 'duo-account-1',
      apiHost: 'api-1a2b3c4d.duosecurity.com',
      integrationKey: 'DIWJ8X6AEYOR5OMC6TQ1',
      secretKey: MARKERS.duoSecret,
    },
  },
  { type: 'RemoveDuo', data: {} },
  {
    type: 'ConfigureDuo',
    data: {
      accountId: 'duo-account-2',
      apiHost: 'api-9z8y7x6w.duosecurity.com',
      integrationKey: 'DIABCDEFGHIJKLMNOPQR',
      secretKey: MARKERS.duoSecret,
    },
  },
  { type: 'ConfigureMfa', data: { totp: { enabled: true } } },
  { type: 'GrantAdminAccess', data: { administratorId: 'admin-1' } },
  { type: 'GrantAdminAccess', data: { administratorId: 'admin-2' } },
  { type: 'RevokeAdminAccess', data: { administratorId: 'admin-2' } },
  // Leaves ug-staff first (UserRemovedFromUserGroup).
  { type: 'RemoveUser', data: { userId: 'user-2' } },
  // Leaves dg-macs first (DeviceRemovedFromDeviceGroup).
  { type: 'RemoveDevice', data: { deviceId: 'device-2' } },
];

export class OrganizationHistory {
  readonly sealer = new Sealer(randomBytes(32));

  constructor(private readonly store: EventStore) {}

  async run(organizationId: string, command: OrganizationCommand): Promise<bigint | null> {
    const result = await handleCommand({
      store: this.store,
      streamId: organizationStreamId(organizationId),
      decider: organizationDecider,
      command,
      context: this.sealer,
      metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'admin-1' },
      now: () => new Date('2025-01-02T03:04:05.000Z'),
    });
    return result.position;
  }

  /** What the clone runner appends when it has written every item (it writes events directly). */
  async provision(organizationId: string): Promise<bigint> {
    const appended = await this.store.appendToStream(organizationStreamId(organizationId), [
      {
        id: randomUUID(),
        type: 'OrganizationProvisioned',
        data: { organizationId, cloneId: `clone-of-${organizationId}` },
      },
    ]);
    return appended.position;
  }

  /** Writes all four organizations, interleaving their streams; returns the last position. */
  async writeAll(): Promise<bigint> {
    await this.run(DISCARDED, create(DISCARDED, 'Acme Corp Old'));
    await this.run(CLONED, create(CLONED, 'Acme Copy', RICH));
    let position = 0n;
    for (const [index, command] of RICH_COMMANDS.entries()) {
      position = (await this.run(RICH, command)) ?? position;
      if (index === 10) await this.run(STILL_CLONING, create(STILL_CLONING, 'Acme Second Copy', RICH));
      if (index === 20) await this.run(DISCARDED, { type: 'DiscardOrganization', data: {} });
    }
    return this.provision(CLONED);
  }
}
