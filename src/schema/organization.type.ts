/**
 * The organization as the API shows it, in JumpCloud's vocabulary (SPEC §1). Field names follow
 * JumpCloud's API; enum values are its lower-case values in UPPER_CASE (`enums.ts`).
 *
 * The item lists of an organization (commands, policies, groups, …) and its administrators are
 * resolved by `OrganizationResolver` through per-request DataLoaders, so they are declared there.
 */
import 'reflect-metadata';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { JsonValue } from '../eventstore/types.js';
import type {
  AuthnPolicyType,
  AuthnResourceType,
  CommandType,
  LaunchType,
  MembershipMethod,
  MfaFactorType,
  UserGroupBindingType,
} from '../domain/organization/model.js';
import {
  CommandTypeEnum,
  ConditionalAccessActionEnum,
  ConditionalAccessPolicyTypeEnum,
  ConditionalAccessResourceTypeEnum,
  CookieExpirationTypeEnum,
  LaunchTypeEnum,
  LdapUserActionEnum,
  M365UserActionEnum,
  MemberQueryOperatorEnum,
  MembershipMethodEnum,
  MfaFactorTypeEnum,
  OrganizationStatusEnum,
  PasswordComplianceEnum,
  UserGroupBindingTypeEnum,
} from './enums.js';
import { ConnectionType } from './pagination.js';
import { BigIntString, DateTime, JSONObject, JSONValue } from './scalars.js';

// ---- settings ---------------------------------------------------------------------------------

@ObjectType({ description: 'Category USER_PORTAL: how users see and use the User Portal.' })
export class UserPortalSettings {
  @Field(() => Boolean, {
    description: "JumpCloud's `systemUsersCanEdit`: users may edit their profile; false makes it read-only.",
  })
  systemUsersCanEdit!: boolean;

  @Field(() => Boolean, {
    description:
      "JumpCloud's `enableUserPortalAgentInstall`: users may enroll devices through the User Portal.",
  })
  enableUserPortalAgentInstall!: boolean;

  @Field(() => Int, {
    description:
      "JumpCloud's `userPortal.idleSessionDurationMinutes`: idle minutes before sign-out, 1..129600.",
  })
  idleSessionDurationMinutes!: number;

  @Field(() => CookieExpirationTypeEnum, {
    description: "JumpCloud's `userPortal.cookieExpirationType`.",
  })
  cookieExpirationType!: string;
}

@ObjectType({ description: 'Category PASSWORD_RECOVERY_EMAIL.' })
export class PasswordRecoveryEmailSettings {
  @Field(() => Boolean, {
    description: "JumpCloud's `passwordPolicy.enableRecoveryEmail`: a recovery email for all users.",
  })
  enableRecoveryEmail!: boolean;
}

@ObjectType({ description: 'Category ADMIN_MANAGEMENT.' })
export class AdminManagementSettings {
  @Field(() => Boolean, {
    description: "JumpCloud's `disableGoogleLogin`: true turns off SSO with Google on the Admin Portal.",
  })
  disableGoogleLogin!: boolean;
}

@ObjectType({
  description: "JumpCloud's `passwordPolicy`: length, complexity, originality, aging and lockout rules.",
})
export class PasswordPolicy {
  @Field(() => Boolean, { description: 'Enforce `minLength`.' })
  enableMinLength!: boolean;

  @Field(() => Int, { description: 'Minimum password length, 8..64.' })
  minLength!: number;

  @Field(() => Boolean, { description: 'Require a lower-case letter.' })
  needsLowercase!: boolean;

  @Field(() => Boolean, { description: 'Require an upper-case letter.' })
  needsUppercase!: boolean;

  @Field(() => Boolean, { description: 'Require a digit.' })
  needsNumeric!: boolean;

  @Field(() => Boolean, { description: 'Require a symbol.' })
  needsSymbolic!: boolean;

  @Field(() => Boolean, { description: 'Refuse sequential or repeated characters (`abc`, `111`).' })
  disallowSequentialOrRepetitiveChars!: boolean;

  @Field(() => Boolean, { description: 'Refuse commonly used passwords.' })
  disallowCommonlyUsedPasswords!: boolean;

  @Field(() => Boolean, { description: 'Allow the username inside the password.' })
  allowUsernameSubstring!: boolean;

  @Field(() => Boolean, { description: 'Enforce `maxHistory`.' })
  enableMaxHistory!: boolean;

  @Field(() => Int, { description: 'How many previous passwords may not be reused, 1..24.' })
  maxHistory!: number;

  @Field(() => Boolean, { description: 'Enforce `minChangePeriodInDays`.' })
  enableMinChangePeriodInDays!: boolean;

  @Field(() => Int, { description: 'Days before a password may be changed again.' })
  minChangePeriodInDays!: number;

  @Field(() => Boolean, { description: 'Enforce `passwordExpirationInDays`.' })
  enablePasswordExpirationInDays!: boolean;

  @Field(() => Int, { description: 'Days after which a password expires.' })
  passwordExpirationInDays!: number;

  @Field(() => Boolean, { description: 'Enforce `daysBeforeExpirationToForceReset`.' })
  enableDaysBeforeExpirationToForceReset!: boolean;

  @Field(() => Int, { description: 'Days before expiration at which a reset is forced.' })
  daysBeforeExpirationToForceReset!: number;

  @Field(() => Boolean, { description: 'Enforce `maxLoginAttempts`.' })
  enableMaxLoginAttempts!: boolean;

  @Field(() => Int, { description: 'Failed sign-ins before the account is locked.' })
  maxLoginAttempts!: number;

  @Field(() => Boolean, { description: 'Enforce `lockoutTimeInSeconds`.' })
  enableLockoutTimeInSeconds!: boolean;

  @Field(() => Int, { description: 'Seconds an account stays locked, 300..5400.' })
  lockoutTimeInSeconds!: number;

  @Field(() => Boolean, { description: 'Enforce `resetLockoutCounterMinutes`.' })
  enableResetLockoutCounter!: boolean;

  @Field(() => Int, { description: 'Minutes after which the failed sign-in counter resets.' })
  resetLockoutCounterMinutes!: number;
}

@ObjectType({ description: 'Category PASSWORD_SETTINGS.' })
export class PasswordSettings {
  @Field(() => PasswordComplianceEnum, { description: "JumpCloud's `passwordCompliance`." })
  passwordCompliance!: string;

  @Field(() => PasswordPolicy, { description: "JumpCloud's `passwordPolicy`." })
  passwordPolicy!: PasswordPolicy;
}

@ObjectType({ description: 'Category UID_GID_MANAGEMENT.' })
export class UidGidManagementSettings {
  @Field(() => Boolean, {
    description: "JumpCloud's `enableManagedUID`: JumpCloud manages users' UIDs and GIDs.",
  })
  enableManagedUID!: boolean;
}

@ObjectType({ description: 'What Microsoft 365 / Entra ID does with locked-out or expired users.' })
export class M365PasswordConfiguration {
  @Field(() => M365UserActionEnum, { description: 'Action when a user is locked out.' })
  userLockoutAction!: string;

  @Field(() => M365UserActionEnum, { description: "Action when a user's password expires." })
  userPasswordExpirationAction!: string;
}

@ObjectType({ description: 'What JumpCloud LDAP does with locked-out or expired users.' })
export class LdapPasswordConfiguration {
  @Field(() => LdapUserActionEnum, { description: 'Action when a user is locked out.' })
  userLockoutAction!: string;

  @Field(() => LdapUserActionEnum, { description: "Action when a user's password expires." })
  userPasswordExpirationAction!: string;
}

@ObjectType({ description: 'Category PASSWORD_CONFIGURATIONS.' })
export class PasswordConfigurations {
  @Field(() => M365PasswordConfiguration, { description: 'Microsoft 365 / Entra ID.' })
  m365!: M365PasswordConfiguration;

  @Field(() => LdapPasswordConfiguration, { description: 'JumpCloud LDAP.' })
  ldap!: LdapPasswordConfiguration;
}

@ObjectType({
  description:
    'Organization settings by clone wizard category. Proprietary settings (contact, logo, disclaimer, limits, MDM) are not part of the API.',
})
export class OrganizationSettings {
  @Field(() => UserPortalSettings, { description: 'Category USER_PORTAL.' })
  userPortal!: UserPortalSettings;

  @Field(() => PasswordRecoveryEmailSettings, { description: 'Category PASSWORD_RECOVERY_EMAIL.' })
  passwordRecoveryEmail!: PasswordRecoveryEmailSettings;

  @Field(() => AdminManagementSettings, { description: 'Category ADMIN_MANAGEMENT.' })
  adminManagement!: AdminManagementSettings;

  @Field(() => PasswordSettings, { description: 'Category PASSWORD_SETTINGS.' })
  passwordSettings!: PasswordSettings;

  @Field(() => UidGidManagementSettings, { description: 'Category UID_GID_MANAGEMENT.' })
  uidGidManagement!: UidGidManagementSettings;

  @Field(() => PasswordConfigurations, { description: 'Category PASSWORD_CONFIGURATIONS.' })
  passwordConfigurations!: PasswordConfigurations;
}

@ObjectType({ description: 'Optional features of an organization; a new organization has all disabled.' })
export class Features {
  @Field(() => Boolean, { description: 'Directory Insights (event logs).' })
  directoryInsights!: boolean;

  @Field(() => Boolean, { description: 'System Insights (device telemetry).' })
  systemInsights!: boolean;

  @Field(() => Boolean, { description: 'Remote Assist.' })
  remoteAssist!: boolean;
}

// ---- commands and policies --------------------------------------------------------------------

@ObjectType({ description: 'A JumpCloud command (`/api/commands`): a script run on devices.' })
export class Command {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'The script body.' })
  command!: string;

  @Field(() => CommandTypeEnum, { description: 'Operating system the command runs on.' })
  commandType!: CommandType;

  @Field(() => String, {
    description:
      'Run-as user id: `000000000000000000000000` is root; empty for Windows commands. A Linux or macOS command run as another user is not cloned.',
  })
  user!: string;

  @Field(() => Boolean, { description: 'Run with sudo.' })
  sudo!: boolean;

  @Field(() => String, { description: 'Shell that runs the script (e.g. `/bin/bash`, `powershell`).' })
  shell!: string;

  @Field(() => LaunchTypeEnum, { description: 'How the command starts.' })
  launchType!: LaunchType;

  @Field(() => String, { description: 'Schedule of a repeated or one-time command (JumpCloud syntax).' })
  schedule!: string;

  @Field(() => String, { description: "JumpCloud's `scheduleRepeatType` (`minute`, `hour`, `day`, …)." })
  scheduleRepeatType!: string;

  @Field(() => Int, { description: 'Seconds before the command is stopped, at most 86400.' })
  timeout!: number;

  @Field(() => String, { description: 'Webhook trigger name of a triggered command.' })
  trigger!: string;

  @Field(() => [String], { description: 'Ids of uploaded files the command uses (never cloned).' })
  files!: string[];

  @Field(() => String, { description: 'Free text.' })
  description!: string;

  @Field(() => [ID], { description: 'Device groups the command is bound to.' })
  deviceGroupIds!: string[];

  @Field(() => ID, { nullable: true, description: 'Source command this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

@ObjectType({
  description:
    'A value of a policy. The value of a sensitive field (text, textarea, file, or marked sensitive) is never returned: it reads `null` with `sensitive: true`.',
})
export class PolicyValue {
  @Field(() => ID, { description: 'Id of the template field (`configFields[].id`).' })
  configFieldID!: string;

  @Field(() => JSONValue, { nullable: true, description: 'The value as JSON; null when sensitive.' })
  value!: JsonValue | null;

  @Field(() => Boolean, { description: 'Whether the value is sensitive (and therefore null here).' })
  sensitive!: boolean;
}

@ObjectType({ description: 'A JumpCloud policy: a template with values, bound to device groups.' })
export class Policy {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'Free text.' })
  notes!: string;

  @Field(() => ID, { description: 'Id of its policy template (see `policyTemplates`).' })
  templateId!: string;

  @Field(() => [PolicyValue], { description: 'One value per configured template field.' })
  values!: PolicyValue[];

  @Field(() => [ID], { description: 'Device groups the policy is bound to.' })
  deviceGroupIds!: string[];

  @Field(() => ID, { nullable: true, description: 'Source policy this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

@ObjectType({ description: 'A group of policies applied together to device groups.' })
export class PolicyGroup {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'Free text.' })
  description!: string;

  @Field(() => [ID], { description: 'Member policies.' })
  policyIds!: string[];

  @Field(() => [ID], { description: 'Device groups the policy group is bound to.' })
  deviceGroupIds!: string[];

  @Field(() => ID, { nullable: true, description: 'Source policy group this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

// ---- groups -----------------------------------------------------------------------------------

@ObjectType({ description: 'One condition of a member query.' })
export class MemberQueryFilter {
  @Field(() => String, { description: 'User or device attribute compared.' })
  field!: string;

  @Field(() => MemberQueryOperatorEnum, { description: 'Comparison.' })
  operator!: string;

  @Field(() => String, { description: 'Value compared with.' })
  value!: string;
}

@ObjectType({ description: "JumpCloud's `memberQuery`: the filter that chooses a dynamic group's members." })
export class MemberQuery {
  @Field(() => String, { description: 'Always `FilterQuery`.' })
  queryType!: string;

  @Field(() => [MemberQueryFilter], { description: 'All must hold.' })
  filters!: MemberQueryFilter[];
}

@ObjectType({ description: 'A user exempted from a dynamic group despite its member query.' })
export class MemberQueryExemption {
  @Field(() => ID, { description: 'User id.' })
  id!: string;

  @Field(() => String, { description: 'Always `user`.' })
  type!: string;
}

@ObjectType({ description: 'Sudo rights the group grants on devices.' })
export class SudoAttributes {
  @Field(() => Boolean, { description: 'Members get sudo.' })
  enabled!: boolean;

  @Field(() => Boolean, { description: 'Without asking for a password.' })
  withoutPassword!: boolean;
}

@ObjectType({ description: 'An LDAP group the user group maps to.' })
export class LdapGroup {
  @Field(() => String, { description: 'LDAP group name.' })
  name!: string;
}

@ObjectType({ description: 'A POSIX group the user group maps to.' })
export class PosixGroup {
  @Field(() => Int, { description: 'GID.' })
  id!: number;

  @Field(() => String, { description: 'Group name.' })
  name!: string;
}

@ObjectType({ description: 'A RADIUS reply attribute.' })
export class RadiusReply {
  @Field(() => String, { description: 'Attribute name.' })
  name!: string;

  @Field(() => String, { description: 'Attribute value.' })
  value!: string;
}

@ObjectType({ description: 'RADIUS settings of a user group.' })
export class RadiusAttributes {
  @Field(() => [RadiusReply], { description: 'Reply attributes sent to RADIUS clients.' })
  reply!: RadiusReply[];
}

@ObjectType({ description: "JumpCloud's user group `attributes`." })
export class UserGroupAttributes {
  @Field(() => SudoAttributes, { description: 'Sudo rights.' })
  sudo!: SudoAttributes;

  @Field(() => [LdapGroup], { description: 'LDAP groups.' })
  ldapGroups!: LdapGroup[];

  @Field(() => [PosixGroup], { description: 'POSIX groups.' })
  posixGroups!: PosixGroup[];

  @Field(() => RadiusAttributes, { description: 'RADIUS settings.' })
  radius!: RadiusAttributes;

  @Field(() => Boolean, { description: 'Samba is enabled for members.' })
  sambaEnabled!: boolean;
}

@ObjectType({ description: 'A binding of a user group to an application or a directory (never cloned).' })
export class UserGroupBinding {
  @Field(() => UserGroupBindingTypeEnum, { description: 'What the group is bound to.' })
  type!: UserGroupBindingType;

  @Field(() => ID, { description: 'Id of the application or directory.' })
  id!: string;
}

@ObjectType({ description: 'A group of users.' })
export class UserGroup {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'Free text.' })
  description!: string;

  @Field(() => String, { description: 'Email address of the group (may be empty).' })
  email!: string;

  @Field(() => UserGroupAttributes, { description: 'Sudo, LDAP, POSIX, RADIUS and Samba settings.' })
  attributes!: UserGroupAttributes;

  @Field(() => MembershipMethodEnum, { description: 'How members are chosen.' })
  membershipMethod!: MembershipMethod;

  @Field(() => MemberQuery, {
    nullable: true,
    description: 'Filter of a dynamic group; null for static groups.',
  })
  memberQuery!: MemberQuery | null;

  @Field(() => [MemberQueryExemption], { description: 'Users exempted from the member query.' })
  memberQueryExemptions!: MemberQueryExemption[];

  @Field(() => [ID], { description: 'Member users.' })
  memberUserIds!: string[];

  @Field(() => [UserGroupBinding], { description: 'Bindings to applications and directories.' })
  bindings!: UserGroupBinding[];

  @Field(() => ID, { nullable: true, description: 'Source user group this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

@ObjectType({ description: 'MDM settings of a device group.' })
export class DeviceGroupMdmSettings {
  @Field(() => Boolean, { description: 'The default enrollment group of Apple MDM.' })
  appleMdmDefaultEnrollmentGroup!: boolean;

  @Field(() => Boolean, { description: 'The default enrollment group of Automated Device Enrollment (ADE).' })
  adeDefaultEnrollmentGroup!: boolean;
}

@ObjectType({ description: 'A group of devices.' })
export class DeviceGroup {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'Free text.' })
  description!: string;

  @Field(() => JSONObject, { description: "JumpCloud's free-form device group `attributes`." })
  attributes!: Record<string, JsonValue>;

  @Field(() => MembershipMethodEnum, { description: 'How members are chosen.' })
  membershipMethod!: MembershipMethod;

  @Field(() => MemberQuery, {
    nullable: true,
    description: 'Filter of a dynamic group; null for static groups.',
  })
  memberQuery!: MemberQuery | null;

  @Field(() => [ID], { description: 'Member devices.' })
  memberDeviceIds!: string[];

  @Field(() => DeviceGroupMdmSettings, { nullable: true, description: 'MDM settings; null when none.' })
  mdm!: DeviceGroupMdmSettings | null;

  @Field(() => ID, { nullable: true, description: 'Source device group this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

@ObjectType({ description: 'A user: minimal, only so that groups have members. Never cloned.' })
export class User {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Username, unique in the organization.' })
  username!: string;

  @Field(() => String, { description: 'Email address, unique in the organization.' })
  email!: string;
}

@ObjectType({ description: 'A page of users.' })
export class UserConnection extends ConnectionType(User) {}

@ObjectType({ description: 'A device: minimal, only so that groups have members. Never cloned.' })
export class Device {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Host name.' })
  hostname!: string;

  @Field(() => String, { description: 'Operating system.' })
  os!: string;
}

@ObjectType({ description: 'A page of devices.' })
export class DeviceConnection extends ConnectionType(Device) {}

// ---- MFA --------------------------------------------------------------------------------------

@ObjectType({ description: 'An MFA method that is simply on or off.' })
export class MfaMethodSettings {
  @Field(() => Boolean, { description: 'Users may use this method.' })
  enabled!: boolean;
}

@ObjectType({ description: 'WebAuthn (security keys, platform authenticators).' })
export class WebAuthnSettings {
  @Field(() => Boolean, { description: 'Users may use WebAuthn.' })
  enabled!: boolean;

  @Field(() => Boolean, { description: 'Users may register their own authenticators.' })
  allowSelfRegistration!: boolean;
}

@ObjectType({
  description:
    'The Duo configuration without its secret key, which is write-only and never returned. Never cloned.',
})
export class DuoStatus {
  @Field(() => Boolean, { description: 'Whether Duo is configured.' })
  configured!: boolean;

  @Field(() => String, { nullable: true, description: 'Duo account id; null when not configured.' })
  accountId!: string | null;

  @Field(() => String, { nullable: true, description: 'Duo API host name; null when not configured.' })
  apiHost!: string | null;

  @Field(() => String, { nullable: true, description: 'Duo integration key; null when not configured.' })
  integrationKey!: string | null;
}

@ObjectType({ description: 'Multi-factor authentication methods of an organization.' })
export class MfaConfiguration {
  @Field(() => MfaMethodSettings, { description: 'JumpCloud Protect push.' })
  push!: MfaMethodSettings;

  @Field(() => MfaMethodSettings, { description: 'TOTP (authenticator apps).' })
  totp!: MfaMethodSettings;

  @Field(() => WebAuthnSettings, { description: 'WebAuthn.' })
  webAuthn!: WebAuthnSettings;

  @Field(() => DuoStatus, { description: 'Duo, without its secret key.' })
  duo!: DuoStatus;
}

// ---- conditional access -----------------------------------------------------------------------

@ObjectType({ description: 'A named list of IP addresses, ranges (`a - b`) or CIDR blocks.' })
export class IpList {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'Free text.' })
  description!: string;

  @Field(() => [String], { description: 'Addresses, ranges `a - b`, or CIDR blocks.' })
  ips!: string[];

  @Field(() => ID, { nullable: true, description: 'Source IP list this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

@ObjectType({ description: 'Users a conditional access policy applies to one by one.' })
export class ConditionalAccessUserTargets {
  @Field(() => [String], { description: 'User ids, or `ALL`.' })
  inclusions!: string[];
}

@ObjectType({ description: 'User groups a conditional access policy includes or excludes.' })
export class ConditionalAccessUserGroupTargets {
  @Field(() => [ID], { description: 'User groups the policy applies to.' })
  inclusions!: string[];

  @Field(() => [ID], { description: 'User groups the policy does not apply to.' })
  exclusions!: string[];
}

@ObjectType({ description: 'A resource a conditional access policy governs.' })
export class ConditionalAccessResource {
  @Field(() => ConditionalAccessResourceTypeEnum, { description: 'Type of resource.' })
  type!: AuthnResourceType;

  @Field(() => ID, {
    nullable: true,
    description: 'A specific resource (e.g. one application); null: all of that type.',
  })
  id!: string | null;
}

@ObjectType({ description: 'Who and what a conditional access policy applies to.' })
export class ConditionalAccessTargets {
  @Field(() => ConditionalAccessUserTargets, { description: 'Single users.' })
  users!: ConditionalAccessUserTargets;

  @Field(() => ConditionalAccessUserGroupTargets, { description: 'User groups.' })
  userGroups!: ConditionalAccessUserGroupTargets;

  @Field(() => [ConditionalAccessResource], { description: 'Resources.' })
  resources!: ConditionalAccessResource[];
}

@ObjectType({ description: 'An MFA factor a policy accepts.' })
export class MfaFactor {
  @Field(() => MfaFactorTypeEnum, { description: 'The factor.' })
  type!: MfaFactorType;
}

@ObjectType({ description: 'Whether a sign-in must pass MFA.' })
export class MfaObligation {
  @Field(() => Boolean, { description: 'MFA is required.' })
  required!: boolean;
}

@ObjectType({ description: 'What a sign-in must satisfy when a policy allows it.' })
export class ConditionalAccessObligations {
  @Field(() => MfaObligation, { description: 'MFA requirement.' })
  mfa!: MfaObligation;

  @Field(() => [MfaFactor], { description: 'Factors accepted for the MFA.' })
  mfaFactors!: MfaFactor[];
}

@ObjectType({ description: 'The effect of a conditional access policy.' })
export class ConditionalAccessEffect {
  @Field(() => ConditionalAccessActionEnum, { description: 'Allow or deny.' })
  action!: string;

  @Field(() => ConditionalAccessObligations, { description: 'Obligations of an allowed sign-in.' })
  obligations!: ConditionalAccessObligations;
}

@ObjectType({ description: 'A conditional access policy (JumpCloud `/api/v2/authn/policies`).' })
export class ConditionalAccessPolicy {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  name!: string;

  @Field(() => String, { description: 'Free text.' })
  description!: string;

  @Field(() => Boolean, { description: 'A disabled policy is not enforced.' })
  disabled!: boolean;

  @Field(() => ConditionalAccessPolicyTypeEnum, { description: 'The sign-in it governs.' })
  type!: AuthnPolicyType;

  @Field(() => ConditionalAccessTargets, { description: 'Users, user groups and resources it applies to.' })
  targets!: ConditionalAccessTargets;

  @Field(() => JSONValue, {
    nullable: true,
    description:
      'Conditions in JumpCloud grammar: `{deviceManaged}`, `{deviceEncrypted}`, `{ipAddressIn: [ipListId]}`, `{locationIn: {countries}}`, `{not}`, `{all: []}`, `{any: []}`. Null: always applies.',
  })
  conditions!: JsonValue | null;

  @Field(() => ConditionalAccessEffect, { description: 'What happens when it applies.' })
  effect!: ConditionalAccessEffect;

  @Field(() => ID, { nullable: true, description: 'Source policy this one was cloned from, if any.' })
  clonedFromId!: string | null;
}

// ---- the organization -------------------------------------------------------------------------

@ObjectType({ description: 'Lineage of an organization created by a clone.' })
export class ClonedFrom {
  @Field(() => ID, { description: 'The clone operation that created the organization.' })
  cloneId!: string;

  @Field(() => ID, { description: 'The organization it was cloned from.' })
  sourceOrganizationId!: string;

  @Field(() => BigIntString, { description: 'Version of the source organization the clone copied.' })
  sourceVersion!: string;
}

@ObjectType({
  description:
    'An organization (tenant) of the provider. Its item lists are loaded in batches: a query over many organizations costs a fixed number of reads.',
})
export class Organization {
  @Field(() => ID, { description: 'Opaque id, unique in the store.' })
  id!: string;

  @Field(() => String, {
    description: 'Name, unique per provider (case-insensitive) among organizations not discarded.',
  })
  displayName!: string;

  @Field(() => OrganizationStatusEnum, { description: 'Active or discarded.' })
  status!: string;

  @Field(() => BigIntString, {
    description:
      'Revision of the organization\'s event stream: changes with every edit (optimistic concurrency, clone "as of").',
  })
  version!: bigint;

  @Field(() => DateTime, { description: 'When the organization was created.' })
  created!: Date;

  @Field(() => ClonedFrom, {
    nullable: true,
    description: 'The clone that created it; null for an original organization.',
  })
  clonedFrom!: ClonedFrom | null;

  @Field(() => OrganizationSettings, { description: 'Settings by clone wizard category.' })
  settings!: OrganizationSettings;

  @Field(() => Features, { description: 'Optional features.' })
  features!: Features;

  @Field(() => MfaConfiguration, { description: 'MFA methods (the Duo secret key is never returned).' })
  mfa!: MfaConfiguration;

  @Field(() => Int, { description: 'Users of the organization (never cloned).' })
  userCount!: number;

  @Field(() => Int, { description: 'Devices of the organization (never cloned).' })
  deviceCount!: number;
}

@ObjectType({ description: "A page of the provider's organizations, by name." })
export class OrganizationConnection extends ConnectionType(Organization) {}
