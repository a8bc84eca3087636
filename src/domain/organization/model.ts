/**
 * The organization model in JumpCloud's vocabulary (field names and enum values follow
 * `reference/jumpcloud/*.swagger.json`). Pure data: the organization decider folds events into an
 * `OrganizationState` of these shapes and the clone planner reads it.
 */
import type { JsonValue } from '../../eventstore/types.js';

export const ROOT_USER_ID = '000000000000000000000000';

/**
 * A sensitive value at rest: sealed by the application's sealer (AES-256-GCM) before it enters an
 * event, so the event log, read models and logs never hold it in plain text. A type alias (not an
 * interface) so that it is a `JsonValue` and can stand where a plain value would.
 */
export type SealedValue = { sealed: string };

// ---- settings ---------------------------------------------------------------------------------

/** The six setting categories the clone wizard shows (SPEC §1), in wizard order. */
export const SETTING_CATEGORIES = [
  'USER_PORTAL',
  'PASSWORD_RECOVERY_EMAIL',
  'ADMIN_MANAGEMENT',
  'PASSWORD_SETTINGS',
  'UID_GID_MANAGEMENT',
  'PASSWORD_CONFIGURATIONS',
] as const;
export type SettingCategory = (typeof SETTING_CATEGORIES)[number];

export interface UserPortalSettings {
  /** JumpCloud's `systemUsersCanEdit`; false means the profile page is read-only. */
  systemUsersCanEdit: boolean;
  enableUserPortalAgentInstall: boolean;
  /** 1..129600 */
  idleSessionDurationMinutes: number;
  cookieExpirationType: 'session' | 'date';
}

export interface PasswordRecoveryEmailSettings {
  enableRecoveryEmail: boolean;
}

export interface AdminManagementSettings {
  disableGoogleLogin: boolean;
}

export interface PasswordPolicy {
  enableMinLength: boolean;
  /** 8..64 */
  minLength: number;
  needsLowercase: boolean;
  needsUppercase: boolean;
  needsNumeric: boolean;
  needsSymbolic: boolean;
  disallowSequentialOrRepetitiveChars: boolean;
  disallowCommonlyUsedPasswords: boolean;
  allowUsernameSubstring: boolean;
  enableMaxHistory: boolean;
  /** 1..24 */
  maxHistory: number;
  enableMinChangePeriodInDays: boolean;
  minChangePeriodInDays: number;
  enablePasswordExpirationInDays: boolean;
  passwordExpirationInDays: number;
  enableDaysBeforeExpirationToForceReset: boolean;
  daysBeforeExpirationToForceReset: number;
  enableMaxLoginAttempts: boolean;
  maxLoginAttempts: number;
  enableLockoutTimeInSeconds: boolean;
  /** 300..5400 */
  lockoutTimeInSeconds: number;
  enableResetLockoutCounter: boolean;
  resetLockoutCounterMinutes: number;
}

export interface PasswordSettings {
  passwordCompliance: 'custom' | 'pci3' | 'windows';
  passwordPolicy: PasswordPolicy;
}

export interface UidGidManagementSettings {
  enableManagedUID: boolean;
}

export interface PasswordConfigurations {
  m365: {
    userLockoutAction: 'maintain' | 'suspend';
    userPasswordExpirationAction: 'maintain' | 'suspend';
  };
  ldap: {
    userLockoutAction: 'disable' | 'remove';
    userPasswordExpirationAction: 'disable' | 'remove';
  };
}

export interface OrganizationSettings {
  USER_PORTAL: UserPortalSettings;
  PASSWORD_RECOVERY_EMAIL: PasswordRecoveryEmailSettings;
  ADMIN_MANAGEMENT: AdminManagementSettings;
  PASSWORD_SETTINGS: PasswordSettings;
  UID_GID_MANAGEMENT: UidGidManagementSettings;
  PASSWORD_CONFIGURATIONS: PasswordConfigurations;
}

/** Proprietary settings: never copied (`SKIPPED: PROPRIETARY_SETTING`). */
export const PROPRIETARY_SETTING_KEYS = [
  'contactName',
  'contactEmail',
  'logo',
  'emailDisclaimer',
  'maxSystemUsers',
  'windowsMDM',
  'trustedAppConfig',
] as const;
export type ProprietarySettingKey = (typeof PROPRIETARY_SETTING_KEYS)[number];
export type ProprietarySettings = Partial<Record<ProprietarySettingKey, JsonValue>>;

// ---- features ---------------------------------------------------------------------------------

export const FEATURE_KEYS = ['directoryInsights', 'systemInsights', 'remoteAssist'] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];
export type Features = Record<FeatureKey, boolean>;

// ---- commands ---------------------------------------------------------------------------------

export const COMMAND_TYPES = ['linux', 'mac', 'windows'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];
export const LAUNCH_TYPES = ['manual', 'trigger', 'repeated', 'one-time'] as const;
export type LaunchType = (typeof LAUNCH_TYPES)[number];

export interface Command {
  id: string;
  name: string;
  command: string;
  commandType: CommandType;
  /** Run-as user id; root is `ROOT_USER_ID`; Windows commands have none (''). */
  user: string;
  sudo: boolean;
  shell: string;
  launchType: LaunchType;
  schedule: string;
  scheduleRepeatType: string;
  /** Seconds, ≤ 86400. */
  timeout: number;
  trigger: string;
  /** Uploaded file ids (never cloned). */
  files: string[];
  description: string;
  deviceGroupIds: string[];
  /** Lineage: the source item this one was cloned from. */
  clonedFromId?: string;
}

// ---- policies ---------------------------------------------------------------------------------

export const DISPLAY_TYPES = [
  'checkbox',
  'date',
  'email',
  'file',
  'number',
  'select',
  'text',
  'textarea',
  'singlelistbox',
  'doublelistbox',
  'table',
  'segmentedbutton',
  'radio',
  'copywell',
  'timeinput',
  'datepickerrange',
  'multilist',
  'paginationlist',
  'searchandselect',
  'datetimepicker',
  'numberinline',
] as const;
export type DisplayType = (typeof DISPLAY_TYPES)[number];

export const OS_META_FAMILIES = ['linux', 'darwin', 'windows', 'ios', 'universal', 'android'] as const;
export type OsMetaFamily = (typeof OS_META_FAMILIES)[number];

export interface PolicyTemplateConfigField {
  id: string;
  name: string;
  label: string;
  displayType: DisplayType;
  required: boolean;
  sensitive: boolean;
  defaultValue: JsonValue;
  /** Choices for select / radio / segmentedbutton / multilist; columns for table. */
  displayOptions?: { values?: string[]; columns?: string[]; min?: number; max?: number };
}

export interface PolicyTemplate {
  id: string;
  name: string;
  displayName: string;
  description: string;
  osMetaFamily: OsMetaFamily;
  configFields: PolicyTemplateConfigField[];
}

export interface PolicyValue {
  configFieldID: string;
  /**
   * In a command, the plain value. In events and state, a `SealedValue` whenever
   * `isSensitivePolicyValue(field, value)` holds (policy-templates/sensitivity.ts).
   */
  value: JsonValue;
  sensitive: boolean;
}

export interface Policy {
  id: string;
  name: string;
  notes: string;
  templateId: string;
  values: PolicyValue[];
  deviceGroupIds: string[];
  clonedFromId?: string;
}

export interface PolicyGroup {
  id: string;
  name: string;
  description: string;
  policyIds: string[];
  deviceGroupIds: string[];
  clonedFromId?: string;
}

// ---- groups, users, devices --------------------------------------------------------------------

export const MEMBERSHIP_METHODS = [
  'NOTSET',
  'STATIC',
  'DYNAMIC_REVIEW_REQUIRED',
  'DYNAMIC_AUTOMATED',
] as const;
export type MembershipMethod = (typeof MEMBERSHIP_METHODS)[number];

/** JumpCloud's MemberQuery: a filter over user or device attributes. */
export const MEMBER_QUERY_OPERATORS = ['eq', 'ne', 'in', 'gt', 'lt'] as const;
export interface MemberQuery {
  queryType: 'FilterQuery';
  filters: { field: string; operator: (typeof MEMBER_QUERY_OPERATORS)[number]; value: string }[];
}

export interface UserGroupAttributes {
  sudo: { enabled: boolean; withoutPassword: boolean };
  ldapGroups: { name: string }[];
  posixGroups: { id: number; name: string }[];
  radius: { reply: { name: string; value: string }[] };
  sambaEnabled: boolean;
}

export const USER_GROUP_BINDING_TYPES = [
  'application',
  'active_directory',
  'g_suite',
  'office_365',
  'ldap_server',
  'radius_server',
] as const;
export type UserGroupBindingType = (typeof USER_GROUP_BINDING_TYPES)[number];

export interface UserGroup {
  id: string;
  name: string;
  description: string;
  email: string;
  attributes: UserGroupAttributes;
  membershipMethod: MembershipMethod;
  memberQuery: MemberQuery | null;
  memberQueryExemptions: { id: string; type: 'user' }[];
  memberUserIds: string[];
  /** Bindings to applications and directories (never cloned). */
  bindings: { type: UserGroupBindingType; id: string }[];
  clonedFromId?: string;
}

export interface DeviceGroupMdmSettings {
  /** This group is the default enrollment group of Apple MDM / ADE. */
  appleMdmDefaultEnrollmentGroup: boolean;
  adeDefaultEnrollmentGroup: boolean;
}

export interface DeviceGroup {
  id: string;
  name: string;
  description: string;
  attributes: Record<string, JsonValue>;
  membershipMethod: MembershipMethod;
  memberQuery: MemberQuery | null;
  memberDeviceIds: string[];
  mdm: DeviceGroupMdmSettings | null;
  clonedFromId?: string;
}

export interface User {
  id: string;
  username: string;
  email: string;
}

export interface Device {
  id: string;
  hostname: string;
  os: string;
}

// ---- MFA ---------------------------------------------------------------------------------------

export interface DuoConfiguration {
  accountId: string;
  apiHost: string;
  integrationKey: string;
  /** Write-only and sealed: never returned by any query, never copied. */
  secretKey: SealedValue;
}

export interface MfaConfiguration {
  push: { enabled: boolean };
  totp: { enabled: boolean };
  webAuthn: { enabled: boolean; allowSelfRegistration: boolean };
  duo: DuoConfiguration | null;
}

export const MFA_METHODS = ['push', 'totp', 'webAuthn'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

// ---- conditional access ------------------------------------------------------------------------

export interface IpList {
  id: string;
  name: string;
  description: string;
  /** Address, range `a - b`, or CIDR. */
  ips: string[];
  clonedFromId?: string;
}

export const AUTHN_POLICY_TYPES = ['user_portal', 'application', 'ldap', 'admin_portal'] as const;
export type AuthnPolicyType = (typeof AUTHN_POLICY_TYPES)[number];
export type AuthnResourceType = (typeof AUTHN_POLICY_TYPES)[number];

/** JumpCloud condition grammar (SPEC §1). */
export type AuthnCondition =
  | { deviceManaged: boolean }
  | { deviceEncrypted: boolean }
  | { ipAddressIn: string[] }
  | { locationIn: { countries: string[] } }
  | { not: AuthnCondition }
  | { all: AuthnCondition[] }
  | { any: AuthnCondition[] };

export const MFA_FACTOR_TYPES = ['DURT', 'WEBAUTHN', 'PUSH', 'DUO', 'TOTP'] as const;
export type MfaFactorType = (typeof MFA_FACTOR_TYPES)[number];

export interface ConditionalAccessPolicy {
  id: string;
  name: string;
  description: string;
  disabled: boolean;
  type: AuthnPolicyType;
  targets: {
    users: { inclusions: string[] };
    userGroups: { inclusions: string[]; exclusions: string[] };
    resources: { type: AuthnResourceType; id?: string }[];
  };
  /** null: no condition (applies always). */
  conditions: AuthnCondition | null;
  effect: {
    action: 'allow' | 'deny';
    obligations: { mfa: { required: boolean }; mfaFactors: { type: MfaFactorType }[] };
  };
  clonedFromId?: string;
}

// ---- providers and administrators ---------------------------------------------------------------

export const ADMIN_ROLES = [
  'Administrator With Billing',
  'Administrator',
  'Manager',
  'Command Runner With Billing',
  'Command Runner',
  'Help Desk',
  'Billing Only',
  'Read Only',
] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export const BILLING_PLANS = ['PAID', 'TRIAL', 'FREE'] as const;
export type BillingPlan = (typeof BILLING_PLANS)[number];
export const ORG_ACCESS_LEVELS = ['ALL', 'LINKED'] as const;
export type OrgAccess = (typeof ORG_ACCESS_LEVELS)[number];
