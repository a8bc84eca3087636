/**
 * Organization settings: the rules per key (JumpCloud's ranges and enums, SPEC §1) and the merge of a
 * partial update into the current settings. Only the keys a patch names are checked; the rest is
 * already valid.
 */
import type { JsonValue } from '../../../eventstore/types.js';
import { ValidationError } from '../../errors.js';
import type { SettingsPatch } from '../commands.js';
import { PROPRIETARY_SETTING_KEYS, SETTING_CATEGORIES } from '../model.js';
import type {
  OrganizationSettings,
  ProprietarySettingKey,
  ProprietarySettings,
  SettingCategory,
} from '../model.js';
import {
  fieldPath,
  isEmail,
  jsonEqual,
  rejectUnknownKeys,
  requireBoolean,
  requireInteger,
  requireJson,
  requireObject,
  requireOneOf,
  requireText,
} from './primitives.js';

type Rule =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'group'; rules: Rules };
type Rules = Record<string, Rule>;

const flag: Rule = { kind: 'boolean' };
const integer = (min: number, max?: number): Rule => ({ kind: 'integer', min, max });
const oneOf = (...values: string[]): Rule => ({ kind: 'enum', values });
const group = (rules: Rules): Rule => ({ kind: 'group', rules });

/** Every key of every category with its rule; minimums without a maximum come from JumpCloud's API. */
export const SETTING_RULES: Record<SettingCategory, Rules> = {
  USER_PORTAL: {
    systemUsersCanEdit: flag,
    enableUserPortalAgentInstall: flag,
    idleSessionDurationMinutes: integer(1, 129_600),
    cookieExpirationType: oneOf('session', 'date'),
  },
  PASSWORD_RECOVERY_EMAIL: { enableRecoveryEmail: flag },
  ADMIN_MANAGEMENT: { disableGoogleLogin: flag },
  PASSWORD_SETTINGS: {
    passwordCompliance: oneOf('custom', 'pci3', 'windows'),
    passwordPolicy: group({
      enableMinLength: flag,
      minLength: integer(8, 64),
      needsLowercase: flag,
      needsUppercase: flag,
      needsNumeric: flag,
      needsSymbolic: flag,
      disallowSequentialOrRepetitiveChars: flag,
      disallowCommonlyUsedPasswords: flag,
      allowUsernameSubstring: flag,
      enableMaxHistory: flag,
      maxHistory: integer(1, 24),
      enableMinChangePeriodInDays: flag,
      minChangePeriodInDays: integer(0),
      enablePasswordExpirationInDays: flag,
      passwordExpirationInDays: integer(1),
      enableDaysBeforeExpirationToForceReset: flag,
      daysBeforeExpirationToForceReset: integer(1),
      enableMaxLoginAttempts: flag,
      maxLoginAttempts: integer(1),
      enableLockoutTimeInSeconds: flag,
      lockoutTimeInSeconds: integer(300, 5_400),
      enableResetLockoutCounter: flag,
      resetLockoutCounterMinutes: integer(1),
    }),
  },
  UID_GID_MANAGEMENT: { enableManagedUID: flag },
  PASSWORD_CONFIGURATIONS: {
    m365: group({
      userLockoutAction: oneOf('maintain', 'suspend'),
      userPasswordExpirationAction: oneOf('maintain', 'suspend'),
    }),
    ldap: group({
      userLockoutAction: oneOf('disable', 'remove'),
      userPasswordExpirationAction: oneOf('disable', 'remove'),
    }),
  },
};

function applyRules(
  current: Record<string, unknown>,
  patch: unknown,
  rules: Rules,
  path: string,
): Record<string, unknown> {
  const changes = requireObject(patch, path);
  rejectUnknownKeys(changes, Object.keys(rules), path);
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const rule = rules[key] as Rule;
    const keyPath = fieldPath(path, key);
    switch (rule.kind) {
      case 'boolean':
        next[key] = requireBoolean(value, keyPath);
        break;
      case 'integer':
        next[key] = requireInteger(value, keyPath, rule.min, rule.max);
        break;
      case 'enum':
        next[key] = requireOneOf(value, keyPath, rule.values);
        break;
      case 'group':
        next[key] = applyRules(current[key] as Record<string, unknown>, value, rule.rules, keyPath);
        break;
    }
  }
  return next;
}

export type SettingsChange = {
  [C in SettingCategory]: { category: C; settings: OrganizationSettings[C] };
}[SettingCategory];

/** The categories a patch really changes, each with its whole new value, in wizard order. */
export function applySettingsPatch(
  current: OrganizationSettings,
  patch: SettingsPatch,
  path: string,
): SettingsChange[] {
  const categories = requireObject(patch, path);
  rejectUnknownKeys(categories, SETTING_CATEGORIES, path);
  const changes: SettingsChange[] = [];
  for (const category of SETTING_CATEGORIES) {
    if (categories[category] === undefined) continue;
    const before = current[category] as unknown as Record<string, unknown>;
    const after = applyRules(
      before,
      categories[category],
      SETTING_RULES[category],
      fieldPath(path, category),
    );
    if (!jsonEqual(before, after)) changes.push({ category, settings: after } as unknown as SettingsChange);
  }
  return changes;
}

const MAX_CONTACT_NAME_LENGTH = 100;
const MAX_DISCLAIMER_LENGTH = 4_096;
/** A logo is a URL or a data URL of a small image. */
const MAX_LOGO_LENGTH = 262_144;

const PROPRIETARY_RULES: Record<ProprietarySettingKey, (value: unknown, path: string) => JsonValue> = {
  contactName: (value, path) => requireText(value, path, { max: MAX_CONTACT_NAME_LENGTH }),
  contactEmail: (value, path) => {
    const email = requireText(value, path, { max: 254 });
    if (email !== '' && !isEmail(email)) throw new ValidationError(path, 'must be an email address');
    return email;
  },
  logo: (value, path) => requireText(value, path, { max: MAX_LOGO_LENGTH }),
  emailDisclaimer: (value, path) => requireText(value, path, { max: MAX_DISCLAIMER_LENGTH }),
  maxSystemUsers: (value, path) => requireInteger(value, path, 0),
  windowsMDM: (value, path) => {
    const mdm = requireObject(value, path);
    rejectUnknownKeys(mdm, ['enabled', 'autoEnroll'], path);
    return {
      enabled: requireBoolean(mdm.enabled, fieldPath(path, 'enabled')),
      autoEnroll: requireBoolean(mdm.autoEnroll, fieldPath(path, 'autoEnroll')),
    };
  },
  trustedAppConfig: (value, path) => requireJson(requireObject(value, path), path),
};

/** Proprietary settings after a patch; `null` removes a key. */
export function applyProprietaryPatch(
  current: ProprietarySettings,
  patch: unknown,
  path: string,
): ProprietarySettings {
  const changes = requireObject(patch, path);
  rejectUnknownKeys(changes, PROPRIETARY_SETTING_KEYS, path);
  const next: ProprietarySettings = { ...current };
  for (const key of PROPRIETARY_SETTING_KEYS) {
    const value = changes[key];
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = PROPRIETARY_RULES[key](value, fieldPath(path, key));
  }
  return next;
}
