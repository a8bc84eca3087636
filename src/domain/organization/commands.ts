/**
 * Commands on one organization (stream `organization-{id}`). The organization's id is the stream's,
 * so only `CreateOrganization` names it. Items may be created together with their links (members,
 * bindings); afterwards links change only through the membership and binding commands, and `Update…`
 * commands change only the item's own fields (absent fields stay as they are).
 * `clonedFromId` / `clonedFrom` record lineage when a clone creates the item.
 */
import type { JsonValue } from '../../eventstore/types.js';
import type {
  AuthnCondition,
  AuthnPolicyType,
  AuthnResourceType,
  CommandType,
  DeviceGroupMdmSettings,
  Features,
  LaunchType,
  MemberQuery,
  MembershipMethod,
  MfaFactorType,
  OrganizationSettings,
  PolicyValue,
  ProprietarySettingKey,
  SettingCategory,
  UserGroupAttributes,
  UserGroupBindingType,
} from './model.js';
import type { ClonedFrom } from './state.js';

type Command<Type extends string, Data> = { type: Type; data: Data };

// ---- lifecycle --------------------------------------------------------------------------------

export type CreateOrganization = Command<
  'CreateOrganization',
  {
    organizationId: string;
    providerId: string;
    displayName: string;
    /** ISO-8601 time of creation (the application's clock). */
    created: string;
    clonedFrom?: ClonedFrom;
  }
>;

export type DiscardOrganization = Command<'DiscardOrganization', Record<string, never>>;

// ---- settings and features --------------------------------------------------------------------

/** One level deeper than the category is partial too (`passwordPolicy`, `m365`, `ldap`). */
export type SettingsCategoryPatch<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
export type SettingsPatch = { [C in SettingCategory]?: SettingsCategoryPatch<OrganizationSettings[C]> };

export type UpdateSettings = Command<'UpdateSettings', { settings: SettingsPatch }>;

/** `null` removes a proprietary setting. */
export type UpdateProprietarySettings = Command<
  'UpdateProprietarySettings',
  { settings: Partial<Record<ProprietarySettingKey, JsonValue>> }
>;

export type SetFeatures = Command<'SetFeatures', { features: Partial<Features> }>;

// ---- commands ---------------------------------------------------------------------------------

export interface CommandFields {
  name: string;
  command: string;
  commandType: CommandType;
  /** Required for linux and mac (24-hex id, root is `ROOT_USER_ID`); windows commands have none. */
  user?: string;
  sudo?: boolean;
  shell?: string;
  launchType?: LaunchType;
  schedule?: string;
  scheduleRepeatType?: string;
  timeout?: number;
  trigger?: string;
  files?: string[];
  description?: string;
}

export type AddCommand = Command<
  'AddCommand',
  CommandFields & { commandId: string; deviceGroupIds?: string[]; clonedFromId?: string }
>;
export type UpdateCommand = Command<'UpdateCommand', Partial<CommandFields> & { commandId: string }>;
export type RemoveCommand = Command<'RemoveCommand', { commandId: string }>;

// ---- policies and policy groups ---------------------------------------------------------------

export type AddPolicy = Command<
  'AddPolicy',
  {
    policyId: string;
    name: string;
    notes?: string;
    templateId: string;
    values: PolicyValue[];
    deviceGroupIds?: string[];
    clonedFromId?: string;
  }
>;

/**
 * `setValues` replaces the values of the fields it names, `unsetValues` clears fields: values not
 * named (in particular sealed ones, which the caller cannot read back) stay as they are.
 */
export type UpdatePolicy = Command<
  'UpdatePolicy',
  { policyId: string; name?: string; notes?: string; setValues?: PolicyValue[]; unsetValues?: string[] }
>;
export type RemovePolicy = Command<'RemovePolicy', { policyId: string }>;

export type AddPolicyGroup = Command<
  'AddPolicyGroup',
  {
    policyGroupId: string;
    name: string;
    description?: string;
    policyIds?: string[];
    deviceGroupIds?: string[];
    clonedFromId?: string;
  }
>;
export type UpdatePolicyGroup = Command<
  'UpdatePolicyGroup',
  { policyGroupId: string; name?: string; description?: string }
>;
export type RemovePolicyGroup = Command<'RemovePolicyGroup', { policyGroupId: string }>;

// ---- groups, users, devices --------------------------------------------------------------------

export interface UserGroupFields {
  name: string;
  description?: string;
  email?: string;
  attributes?: Partial<UserGroupAttributes>;
  membershipMethod?: MembershipMethod;
  memberQuery?: MemberQuery | null;
  memberQueryExemptions?: { id: string; type: 'user' }[];
  bindings?: { type: UserGroupBindingType; id: string }[];
}

export type AddUserGroup = Command<
  'AddUserGroup',
  UserGroupFields & { userGroupId: string; memberUserIds?: string[]; clonedFromId?: string }
>;
export type UpdateUserGroup = Command<'UpdateUserGroup', Partial<UserGroupFields> & { userGroupId: string }>;
export type RemoveUserGroup = Command<'RemoveUserGroup', { userGroupId: string }>;

export interface DeviceGroupFields {
  name: string;
  description?: string;
  attributes?: Record<string, JsonValue>;
  membershipMethod?: MembershipMethod;
  memberQuery?: MemberQuery | null;
  mdm?: DeviceGroupMdmSettings | null;
}

export type AddDeviceGroup = Command<
  'AddDeviceGroup',
  DeviceGroupFields & { deviceGroupId: string; memberDeviceIds?: string[]; clonedFromId?: string }
>;
export type UpdateDeviceGroup = Command<
  'UpdateDeviceGroup',
  Partial<DeviceGroupFields> & { deviceGroupId: string }
>;
export type RemoveDeviceGroup = Command<'RemoveDeviceGroup', { deviceGroupId: string }>;

export type AddUser = Command<'AddUser', { userId: string; username: string; email: string }>;
export type UpdateUser = Command<'UpdateUser', { userId: string; username?: string; email?: string }>;
export type RemoveUser = Command<'RemoveUser', { userId: string }>;

export type AddDevice = Command<'AddDevice', { deviceId: string; hostname: string; os: string }>;
export type UpdateDevice = Command<'UpdateDevice', { deviceId: string; hostname?: string; os?: string }>;
export type RemoveDevice = Command<'RemoveDevice', { deviceId: string }>;

// ---- conditional access -------------------------------------------------------------------------

export interface IpListFields {
  name: string;
  description?: string;
  ips: string[];
}

export type AddIpList = Command<'AddIpList', IpListFields & { ipListId: string; clonedFromId?: string }>;
export type UpdateIpList = Command<'UpdateIpList', Partial<IpListFields> & { ipListId: string }>;
export type RemoveIpList = Command<'RemoveIpList', { ipListId: string }>;

export interface ConditionalAccessPolicyFields {
  name: string;
  description?: string;
  disabled?: boolean;
  type: AuthnPolicyType;
  targets: {
    /** User ids, or JumpCloud's `"ALL"`. */
    users?: { inclusions?: string[] };
    userGroups?: { inclusions?: string[]; exclusions?: string[] };
    resources: { type: AuthnResourceType; id?: string }[];
  };
  conditions?: AuthnCondition | null;
  effect: {
    action: 'allow' | 'deny';
    obligations?: { mfa?: { required: boolean }; mfaFactors?: { type: MfaFactorType }[] };
  };
}

export type AddConditionalAccessPolicy = Command<
  'AddConditionalAccessPolicy',
  ConditionalAccessPolicyFields & { conditionalAccessPolicyId: string; clonedFromId?: string }
>;
export type UpdateConditionalAccessPolicy = Command<
  'UpdateConditionalAccessPolicy',
  Partial<ConditionalAccessPolicyFields> & { conditionalAccessPolicyId: string }
>;
export type RemoveConditionalAccessPolicy = Command<
  'RemoveConditionalAccessPolicy',
  { conditionalAccessPolicyId: string }
>;

// ---- memberships and bindings -------------------------------------------------------------------

export type AddUserToUserGroup = Command<'AddUserToUserGroup', { userGroupId: string; userId: string }>;
export type RemoveUserFromUserGroup = Command<
  'RemoveUserFromUserGroup',
  { userGroupId: string; userId: string }
>;
export type AddDeviceToDeviceGroup = Command<
  'AddDeviceToDeviceGroup',
  { deviceGroupId: string; deviceId: string }
>;
export type RemoveDeviceFromDeviceGroup = Command<
  'RemoveDeviceFromDeviceGroup',
  { deviceGroupId: string; deviceId: string }
>;
export type AddPolicyToPolicyGroup = Command<
  'AddPolicyToPolicyGroup',
  { policyGroupId: string; policyId: string }
>;
export type RemovePolicyFromPolicyGroup = Command<
  'RemovePolicyFromPolicyGroup',
  { policyGroupId: string; policyId: string }
>;
export type BindDeviceGroupToCommand = Command<
  'BindDeviceGroupToCommand',
  { deviceGroupId: string; commandId: string }
>;
export type UnbindDeviceGroupFromCommand = Command<
  'UnbindDeviceGroupFromCommand',
  { deviceGroupId: string; commandId: string }
>;
export type BindDeviceGroupToPolicy = Command<
  'BindDeviceGroupToPolicy',
  { deviceGroupId: string; policyId: string }
>;
export type UnbindDeviceGroupFromPolicy = Command<
  'UnbindDeviceGroupFromPolicy',
  { deviceGroupId: string; policyId: string }
>;
export type BindDeviceGroupToPolicyGroup = Command<
  'BindDeviceGroupToPolicyGroup',
  { deviceGroupId: string; policyGroupId: string }
>;
export type UnbindDeviceGroupFromPolicyGroup = Command<
  'UnbindDeviceGroupFromPolicyGroup',
  { deviceGroupId: string; policyGroupId: string }
>;

// ---- MFA and admin access -----------------------------------------------------------------------

export type ConfigureMfa = Command<
  'ConfigureMfa',
  {
    push?: { enabled: boolean };
    totp?: { enabled: boolean };
    webAuthn?: { enabled?: boolean; allowSelfRegistration?: boolean };
  }
>;

/** `secretKey` is plain here and sealed before it enters the event. */
export type ConfigureDuo = Command<
  'ConfigureDuo',
  { accountId: string; apiHost: string; integrationKey: string; secretKey: string }
>;
export type RemoveDuo = Command<'RemoveDuo', Record<string, never>>;

export type GrantAdminAccess = Command<'GrantAdminAccess', { administratorId: string }>;
export type RevokeAdminAccess = Command<'RevokeAdminAccess', { administratorId: string }>;

export type OrganizationCommand =
  | CreateOrganization
  | DiscardOrganization
  | UpdateSettings
  | UpdateProprietarySettings
  | SetFeatures
  | AddCommand
  | UpdateCommand
  | RemoveCommand
  | AddPolicy
  | UpdatePolicy
  | RemovePolicy
  | AddPolicyGroup
  | UpdatePolicyGroup
  | RemovePolicyGroup
  | AddUserGroup
  | UpdateUserGroup
  | RemoveUserGroup
  | AddDeviceGroup
  | UpdateDeviceGroup
  | RemoveDeviceGroup
  | AddUser
  | UpdateUser
  | RemoveUser
  | AddDevice
  | UpdateDevice
  | RemoveDevice
  | AddIpList
  | UpdateIpList
  | RemoveIpList
  | AddConditionalAccessPolicy
  | UpdateConditionalAccessPolicy
  | RemoveConditionalAccessPolicy
  | AddUserToUserGroup
  | RemoveUserFromUserGroup
  | AddDeviceToDeviceGroup
  | RemoveDeviceFromDeviceGroup
  | AddPolicyToPolicyGroup
  | RemovePolicyFromPolicyGroup
  | BindDeviceGroupToCommand
  | UnbindDeviceGroupFromCommand
  | BindDeviceGroupToPolicy
  | UnbindDeviceGroupFromPolicy
  | BindDeviceGroupToPolicyGroup
  | UnbindDeviceGroupFromPolicyGroup
  | ConfigureMfa
  | ConfigureDuo
  | RemoveDuo
  | GrantAdminAccess
  | RevokeAdminAccess;
