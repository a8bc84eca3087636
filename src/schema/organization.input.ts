/**
 * Inputs of the organization-level mutations: create, settings by category, features, MFA, Duo and
 * administrator access. Field names are JumpCloud's; absent fields of an update stay as they are.
 */
import 'reflect-metadata';
import { MaxLength } from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import {
  CookieExpirationTypeEnum,
  LdapUserActionEnum,
  M365UserActionEnum,
  PasswordComplianceEnum,
} from './enums.js';
import { MAX_DISPLAY_NAME_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from './input-bounds.js';
import { IdField, NestedField, StringField } from './input-fields.js';
import { PageArgs } from './pagination.js';

/** Base of every input that acts on one organization (not in the schema itself: nothing references it). */
@InputType({ description: 'Acts on one organization.' })
export abstract class OrganizationScopedInput {
  @IdField('The organization to change.')
  organizationId!: string;
}

@InputType({ description: 'A new, empty organization with JumpCloud defaults.' })
export class CreateOrganizationInput {
  @StringField(
    'Name, unique per provider (case-insensitive) among organizations not discarded.',
    MAX_DISPLAY_NAME_LENGTH,
  )
  displayName!: string;
}

@InputType({ description: 'Changes to category USER_PORTAL.' })
export class UserPortalSettingsInput {
  @Field(() => Boolean, { nullable: true, description: "JumpCloud's `systemUsersCanEdit`." })
  systemUsersCanEdit?: boolean;

  @Field(() => Boolean, { nullable: true, description: "JumpCloud's `enableUserPortalAgentInstall`." })
  enableUserPortalAgentInstall?: boolean;

  @Field(() => Int, { nullable: true, description: 'Idle minutes before sign-out, 1..129600.' })
  idleSessionDurationMinutes?: number;

  @Field(() => CookieExpirationTypeEnum, {
    nullable: true,
    description: "JumpCloud's `userPortal.cookieExpirationType`.",
  })
  cookieExpirationType?: string;
}

@InputType({ description: 'Changes to category PASSWORD_RECOVERY_EMAIL.' })
export class PasswordRecoveryEmailSettingsInput {
  @Field(() => Boolean, { nullable: true, description: 'A recovery email for all users.' })
  enableRecoveryEmail?: boolean;
}

@InputType({ description: 'Changes to category ADMIN_MANAGEMENT.' })
export class AdminManagementSettingsInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'True turns off SSO with Google on the Admin Portal.',
  })
  disableGoogleLogin?: boolean;
}

@InputType({ description: "Changes to JumpCloud's `passwordPolicy`; see `PasswordPolicy` for each field." })
export class PasswordPolicyInput {
  @Field(() => Boolean, { nullable: true, description: 'Enforce `minLength`.' })
  enableMinLength?: boolean;

  @Field(() => Int, { nullable: true, description: 'Minimum password length, 8..64.' })
  minLength?: number;

  @Field(() => Boolean, { nullable: true, description: 'Require a lower-case letter.' })
  needsLowercase?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Require an upper-case letter.' })
  needsUppercase?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Require a digit.' })
  needsNumeric?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Require a symbol.' })
  needsSymbolic?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Refuse sequential or repeated characters.' })
  disallowSequentialOrRepetitiveChars?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Refuse commonly used passwords.' })
  disallowCommonlyUsedPasswords?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Allow the username inside the password.' })
  allowUsernameSubstring?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `maxHistory`.' })
  enableMaxHistory?: boolean;

  @Field(() => Int, { nullable: true, description: 'Previous passwords that may not be reused, 1..24.' })
  maxHistory?: number;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `minChangePeriodInDays`.' })
  enableMinChangePeriodInDays?: boolean;

  @Field(() => Int, { nullable: true, description: 'Days before a password may be changed again.' })
  minChangePeriodInDays?: number;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `passwordExpirationInDays`.' })
  enablePasswordExpirationInDays?: boolean;

  @Field(() => Int, { nullable: true, description: 'Days after which a password expires.' })
  passwordExpirationInDays?: number;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `daysBeforeExpirationToForceReset`.' })
  enableDaysBeforeExpirationToForceReset?: boolean;

  @Field(() => Int, { nullable: true, description: 'Days before expiration at which a reset is forced.' })
  daysBeforeExpirationToForceReset?: number;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `maxLoginAttempts`.' })
  enableMaxLoginAttempts?: boolean;

  @Field(() => Int, { nullable: true, description: 'Failed sign-ins before the account is locked.' })
  maxLoginAttempts?: number;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `lockoutTimeInSeconds`.' })
  enableLockoutTimeInSeconds?: boolean;

  @Field(() => Int, { nullable: true, description: 'Seconds an account stays locked, 300..5400.' })
  lockoutTimeInSeconds?: number;

  @Field(() => Boolean, { nullable: true, description: 'Enforce `resetLockoutCounterMinutes`.' })
  enableResetLockoutCounter?: boolean;

  @Field(() => Int, { nullable: true, description: 'Minutes after which the failed sign-in counter resets.' })
  resetLockoutCounterMinutes?: number;
}

@InputType({ description: 'Changes to category PASSWORD_SETTINGS.' })
export class PasswordSettingsInput {
  @Field(() => PasswordComplianceEnum, { nullable: true, description: "JumpCloud's `passwordCompliance`." })
  passwordCompliance?: string;

  @NestedField(() => PasswordPolicyInput, "Changes to JumpCloud's `passwordPolicy`.", { optional: true })
  passwordPolicy?: PasswordPolicyInput;
}

@InputType({ description: 'Changes to category UID_GID_MANAGEMENT.' })
export class UidGidManagementSettingsInput {
  @Field(() => Boolean, { nullable: true, description: "JumpCloud's `enableManagedUID`." })
  enableManagedUID?: boolean;
}

@InputType({ description: 'Changes to the Microsoft 365 / Entra ID password configuration.' })
export class M365PasswordConfigurationInput {
  @Field(() => M365UserActionEnum, { nullable: true, description: 'Action when a user is locked out.' })
  userLockoutAction?: string;

  @Field(() => M365UserActionEnum, { nullable: true, description: "Action when a user's password expires." })
  userPasswordExpirationAction?: string;
}

@InputType({ description: 'Changes to the JumpCloud LDAP password configuration.' })
export class LdapPasswordConfigurationInput {
  @Field(() => LdapUserActionEnum, { nullable: true, description: 'Action when a user is locked out.' })
  userLockoutAction?: string;

  @Field(() => LdapUserActionEnum, { nullable: true, description: "Action when a user's password expires." })
  userPasswordExpirationAction?: string;
}

@InputType({ description: 'Changes to category PASSWORD_CONFIGURATIONS.' })
export class PasswordConfigurationsInput {
  @NestedField(() => M365PasswordConfigurationInput, 'Microsoft 365 / Entra ID.', { optional: true })
  m365?: M365PasswordConfigurationInput;

  @NestedField(() => LdapPasswordConfigurationInput, 'JumpCloud LDAP.', { optional: true })
  ldap?: LdapPasswordConfigurationInput;
}

@InputType({
  description:
    'Changes to settings, by clone wizard category. Only the fields given change; each changed category is recorded as one event.',
})
export class SettingsInput {
  @NestedField(() => UserPortalSettingsInput, 'Category USER_PORTAL.', { optional: true })
  userPortal?: UserPortalSettingsInput;

  @NestedField(() => PasswordRecoveryEmailSettingsInput, 'Category PASSWORD_RECOVERY_EMAIL.', {
    optional: true,
  })
  passwordRecoveryEmail?: PasswordRecoveryEmailSettingsInput;

  @NestedField(() => AdminManagementSettingsInput, 'Category ADMIN_MANAGEMENT.', { optional: true })
  adminManagement?: AdminManagementSettingsInput;

  @NestedField(() => PasswordSettingsInput, 'Category PASSWORD_SETTINGS.', { optional: true })
  passwordSettings?: PasswordSettingsInput;

  @NestedField(() => UidGidManagementSettingsInput, 'Category UID_GID_MANAGEMENT.', { optional: true })
  uidGidManagement?: UidGidManagementSettingsInput;

  @NestedField(() => PasswordConfigurationsInput, 'Category PASSWORD_CONFIGURATIONS.', { optional: true })
  passwordConfigurations?: PasswordConfigurationsInput;
}

@InputType({ description: "Changes to an organization's settings." })
export class UpdateOrganizationSettingsInput extends OrganizationScopedInput {
  @NestedField(() => SettingsInput, 'The changes, by category.')
  settings!: SettingsInput;
}

@InputType({ description: 'Turns features on or off; features not given stay as they are.' })
export class SetOrganizationFeaturesInput extends OrganizationScopedInput {
  @Field(() => Boolean, { nullable: true, description: 'Directory Insights.' })
  directoryInsights?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'System Insights.' })
  systemInsights?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Remote Assist.' })
  remoteAssist?: boolean;
}

@InputType({ description: 'Turns an MFA method on or off.' })
export class MfaMethodInput {
  @Field(() => Boolean, { description: 'Users may use this method.' })
  enabled!: boolean;
}

@InputType({ description: 'Changes to WebAuthn.' })
export class WebAuthnInput {
  @Field(() => Boolean, { nullable: true, description: 'Users may use WebAuthn.' })
  enabled?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Users may register their own authenticators.' })
  allowSelfRegistration?: boolean;
}

@InputType({
  description: 'Changes to the MFA methods; methods not given stay as they are. Duo has its own mutations.',
})
export class ConfigureMfaInput extends OrganizationScopedInput {
  @NestedField(() => MfaMethodInput, 'JumpCloud Protect push.', { optional: true })
  push?: MfaMethodInput;

  @NestedField(() => MfaMethodInput, 'TOTP (authenticator apps).', { optional: true })
  totp?: MfaMethodInput;

  @NestedField(() => WebAuthnInput, 'WebAuthn.', { optional: true })
  webAuthn?: WebAuthnInput;
}

@InputType({
  description:
    'The Duo integration. The secret key is write-only: stored sealed, never returned, never cloned.',
})
export class ConfigureDuoInput extends OrganizationScopedInput {
  @StringField('Duo account id.', MAX_NAME_LENGTH)
  accountId!: string;

  @StringField('Duo API host name, e.g. `api-1234abcd.duosecurity.com`.', MAX_NAME_LENGTH)
  apiHost!: string;

  @StringField('Duo integration key.', MAX_NAME_LENGTH)
  integrationKey!: string;

  @StringField('Duo secret key (write-only).', MAX_TEXT_LENGTH)
  secretKey!: string;
}

@InputType({ description: 'An organization, and nothing else: for mutations that need no more.' })
export class OrganizationRefInput extends OrganizationScopedInput {}

@InputType({ description: 'Lets an administrator of the provider manage the organization, or stops it.' })
export class AdminAccessInput extends OrganizationScopedInput {
  @IdField('The administrator.')
  administratorId!: string;
}

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Only organizations whose name contains this text (case-insensitive).',
  })
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  search?: string | null;
}

@ArgsType()
export class OrganizationArgs {
  @IdField('The organization.')
  id!: string;
}
