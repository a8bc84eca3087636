/**
 * Events of an organization's stream, including those a clone writes into a new organization.
 * Payloads are plain JSON (ISO strings for time, decimal strings for revisions). Added and updated
 * events carry the whole item as it now is, so a projection can upsert it without the history;
 * sensitive values inside them are `SealedValue`s.
 */
import type {
  Command,
  ConditionalAccessPolicy,
  Device,
  DeviceGroup,
  DuoConfiguration,
  Features,
  IpList,
  MfaConfiguration,
  OrganizationSettings,
  Policy,
  PolicyGroup,
  ProprietarySettings,
  SettingCategory,
  User,
  UserGroup,
} from './model.js';
import type { ClonedFrom } from './state.js';

type Event<Type extends string, Data> = { type: Type; data: Data };

export type OrganizationCreated = Event<
  'OrganizationCreated',
  {
    organizationId: string;
    providerId: string;
    displayName: string;
    created: string;
    /** The initial configuration, so that replay does not depend on today's defaults. */
    settings: OrganizationSettings;
    features: Features;
    mfa: MfaConfiguration;
    clonedFrom?: ClonedFrom;
  }
>;
export type OrganizationDiscarded = Event<'OrganizationDiscarded', { organizationId: string }>;
/** The clone that created the organization has written all of it: from now on it is an ordinary one. */
export type OrganizationProvisioned = Event<
  'OrganizationProvisioned',
  { organizationId: string; cloneId: string }
>;

/** One event per category changed; `settings` is the whole category after the change. */
export type SettingsUpdated = Event<
  'SettingsUpdated',
  { [C in SettingCategory]: { category: C; settings: OrganizationSettings[C] } }[SettingCategory]
>;
export type ProprietarySettingsUpdated = Event<
  'ProprietarySettingsUpdated',
  { settings: ProprietarySettings }
>;
export type FeaturesSet = Event<'FeaturesSet', { features: Features }>;

export type CommandAdded = Event<'CommandAdded', { command: Command }>;
export type CommandUpdated = Event<'CommandUpdated', { command: Command }>;
export type CommandRemoved = Event<'CommandRemoved', { commandId: string }>;

export type PolicyAdded = Event<'PolicyAdded', { policy: Policy }>;
export type PolicyUpdated = Event<'PolicyUpdated', { policy: Policy }>;
export type PolicyRemoved = Event<'PolicyRemoved', { policyId: string }>;

export type PolicyGroupAdded = Event<'PolicyGroupAdded', { policyGroup: PolicyGroup }>;
export type PolicyGroupUpdated = Event<'PolicyGroupUpdated', { policyGroup: PolicyGroup }>;
export type PolicyGroupRemoved = Event<'PolicyGroupRemoved', { policyGroupId: string }>;

export type UserGroupAdded = Event<'UserGroupAdded', { userGroup: UserGroup }>;
export type UserGroupUpdated = Event<'UserGroupUpdated', { userGroup: UserGroup }>;
export type UserGroupRemoved = Event<'UserGroupRemoved', { userGroupId: string }>;

export type DeviceGroupAdded = Event<'DeviceGroupAdded', { deviceGroup: DeviceGroup }>;
export type DeviceGroupUpdated = Event<'DeviceGroupUpdated', { deviceGroup: DeviceGroup }>;
export type DeviceGroupRemoved = Event<'DeviceGroupRemoved', { deviceGroupId: string }>;

export type UserAdded = Event<'UserAdded', { user: User }>;
export type UserUpdated = Event<'UserUpdated', { user: User }>;
export type UserRemoved = Event<'UserRemoved', { userId: string }>;

export type DeviceAdded = Event<'DeviceAdded', { device: Device }>;
export type DeviceUpdated = Event<'DeviceUpdated', { device: Device }>;
export type DeviceRemoved = Event<'DeviceRemoved', { deviceId: string }>;

export type IpListAdded = Event<'IpListAdded', { ipList: IpList }>;
export type IpListUpdated = Event<'IpListUpdated', { ipList: IpList }>;
export type IpListRemoved = Event<'IpListRemoved', { ipListId: string }>;

export type ConditionalAccessPolicyAdded = Event<
  'ConditionalAccessPolicyAdded',
  { conditionalAccessPolicy: ConditionalAccessPolicy }
>;
export type ConditionalAccessPolicyUpdated = Event<
  'ConditionalAccessPolicyUpdated',
  { conditionalAccessPolicy: ConditionalAccessPolicy }
>;
export type ConditionalAccessPolicyRemoved = Event<
  'ConditionalAccessPolicyRemoved',
  { conditionalAccessPolicyId: string }
>;

export type UserAddedToUserGroup = Event<'UserAddedToUserGroup', { userGroupId: string; userId: string }>;
export type UserRemovedFromUserGroup = Event<
  'UserRemovedFromUserGroup',
  { userGroupId: string; userId: string }
>;
export type DeviceAddedToDeviceGroup = Event<
  'DeviceAddedToDeviceGroup',
  { deviceGroupId: string; deviceId: string }
>;
export type DeviceRemovedFromDeviceGroup = Event<
  'DeviceRemovedFromDeviceGroup',
  { deviceGroupId: string; deviceId: string }
>;
export type PolicyAddedToPolicyGroup = Event<
  'PolicyAddedToPolicyGroup',
  { policyGroupId: string; policyId: string }
>;
export type PolicyRemovedFromPolicyGroup = Event<
  'PolicyRemovedFromPolicyGroup',
  { policyGroupId: string; policyId: string }
>;
export type DeviceGroupBoundToCommand = Event<
  'DeviceGroupBoundToCommand',
  { deviceGroupId: string; commandId: string }
>;
export type DeviceGroupUnboundFromCommand = Event<
  'DeviceGroupUnboundFromCommand',
  { deviceGroupId: string; commandId: string }
>;
export type DeviceGroupBoundToPolicy = Event<
  'DeviceGroupBoundToPolicy',
  { deviceGroupId: string; policyId: string }
>;
export type DeviceGroupUnboundFromPolicy = Event<
  'DeviceGroupUnboundFromPolicy',
  { deviceGroupId: string; policyId: string }
>;
export type DeviceGroupBoundToPolicyGroup = Event<
  'DeviceGroupBoundToPolicyGroup',
  { deviceGroupId: string; policyGroupId: string }
>;
export type DeviceGroupUnboundFromPolicyGroup = Event<
  'DeviceGroupUnboundFromPolicyGroup',
  { deviceGroupId: string; policyGroupId: string }
>;

export type MfaConfigured = Event<'MfaConfigured', Omit<MfaConfiguration, 'duo'>>;
export type DuoConfigured = Event<'DuoConfigured', { duo: DuoConfiguration }>;
export type DuoRemoved = Event<'DuoRemoved', Record<string, never>>;

export type AdminAccessGranted = Event<'AdminAccessGranted', { administratorId: string }>;
export type AdminAccessRevoked = Event<'AdminAccessRevoked', { administratorId: string }>;

export type OrganizationEvent =
  | OrganizationCreated
  | OrganizationProvisioned
  | OrganizationDiscarded
  | SettingsUpdated
  | ProprietarySettingsUpdated
  | FeaturesSet
  | CommandAdded
  | CommandUpdated
  | CommandRemoved
  | PolicyAdded
  | PolicyUpdated
  | PolicyRemoved
  | PolicyGroupAdded
  | PolicyGroupUpdated
  | PolicyGroupRemoved
  | UserGroupAdded
  | UserGroupUpdated
  | UserGroupRemoved
  | DeviceGroupAdded
  | DeviceGroupUpdated
  | DeviceGroupRemoved
  | UserAdded
  | UserUpdated
  | UserRemoved
  | DeviceAdded
  | DeviceUpdated
  | DeviceRemoved
  | IpListAdded
  | IpListUpdated
  | IpListRemoved
  | ConditionalAccessPolicyAdded
  | ConditionalAccessPolicyUpdated
  | ConditionalAccessPolicyRemoved
  | UserAddedToUserGroup
  | UserRemovedFromUserGroup
  | DeviceAddedToDeviceGroup
  | DeviceRemovedFromDeviceGroup
  | PolicyAddedToPolicyGroup
  | PolicyRemovedFromPolicyGroup
  | DeviceGroupBoundToCommand
  | DeviceGroupUnboundFromCommand
  | DeviceGroupBoundToPolicy
  | DeviceGroupUnboundFromPolicy
  | DeviceGroupBoundToPolicyGroup
  | DeviceGroupUnboundFromPolicyGroup
  | MfaConfigured
  | DuoConfigured
  | DuoRemoved
  | AdminAccessGranted
  | AdminAccessRevoked;

export type OrganizationEventType = OrganizationEvent['type'];
