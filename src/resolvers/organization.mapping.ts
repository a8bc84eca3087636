/**
 * The GraphQL shapes of organizations, and their inputs as the organization service takes them.
 * Items keep the read model's (JumpCloud's) shape, so only the organization itself, its settings by
 * category and a few input details are mapped here, each in one place.
 */
import type { SettingsPatch } from '../domain/organization/commands.js';
import { ValidationError } from '../domain/errors.js';
import type {
  MemberQuery,
  OrganizationSettings as SettingsByCategory,
  SettingCategory,
} from '../domain/organization/model.js';
import { SETTING_CATEGORIES } from '../domain/organization/model.js';
import type { DuoView, OrganizationRecord } from '../projections/organizations/queries.js';
import type { MemberQueryExemptionInput, MemberQueryInput } from '../schema/group.input.js';
import type { SettingsInput } from '../schema/organization.input.js';
import type { DuoStatus, Organization, OrganizationSettings } from '../schema/organization.type.js';

/** The GraphQL field of each setting category (input and output alike). */
export const SETTINGS_FIELDS = {
  USER_PORTAL: 'userPortal',
  PASSWORD_RECOVERY_EMAIL: 'passwordRecoveryEmail',
  ADMIN_MANAGEMENT: 'adminManagement',
  PASSWORD_SETTINGS: 'passwordSettings',
  UID_GID_MANAGEMENT: 'uidGidManagement',
  PASSWORD_CONFIGURATIONS: 'passwordConfigurations',
} as const satisfies Record<SettingCategory, keyof OrganizationSettings & keyof SettingsInput>;

export function organizationOf(record: OrganizationRecord): Organization {
  return {
    id: record.id,
    displayName: record.displayName,
    status: record.status,
    version: BigInt(record.version),
    created: new Date(record.created),
    clonedFrom: record.clonedFrom,
    settings: settingsOf(record.settings),
    features: record.features,
    mfa: { ...record.mfa, duo: duoStatusOf(record.mfa.duo) },
    userCount: record.userCount,
    deviceCount: record.deviceCount,
  };
}

function settingsOf(settings: SettingsByCategory): OrganizationSettings {
  const byField = {} as Record<string, unknown>;
  for (const category of SETTING_CATEGORIES) byField[SETTINGS_FIELDS[category]] = settings[category];
  return byField as unknown as OrganizationSettings;
}

function duoStatusOf(duo: DuoView | null): DuoStatus {
  if (!duo) return { configured: false, accountId: null, apiHost: null, integrationKey: null };
  return {
    configured: true,
    accountId: duo.accountId,
    apiHost: duo.apiHost,
    integrationKey: duo.integrationKey,
  };
}

export function settingsPatchOf(input: SettingsInput): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const category of SETTING_CATEGORIES) {
    const changes = input[SETTINGS_FIELDS[category]];
    if (changes !== undefined && changes !== null) patch[category] = withoutUndefined(changes);
  }
  return patch as SettingsPatch;
}

/**
 * The domain names a setting by its category (`settings.USER_PORTAL.minLength`); the client sent
 * it under the category's GraphQL field (`settings.userPortal.minLength`).
 */
export function withSettingsInputPaths(error: unknown): unknown {
  if (!(error instanceof ValidationError) || error.field === undefined) return error;
  const [root, category, ...rest] = error.field.split('.');
  if (root !== 'settings' || !category || !(category in SETTINGS_FIELDS)) return error;
  const field = [root, SETTINGS_FIELDS[category as SettingCategory], ...rest].join('.');
  return new ValidationError(field, error.message.slice(error.field.length + 2));
}

export function memberQueryOf(input: MemberQueryInput | null | undefined): MemberQuery | null | undefined {
  if (input === undefined || input === null) return input;
  return { queryType: 'FilterQuery', filters: input.filters.map((filter) => withoutUndefined(filter)) };
}

export function exemptionsOf(
  input: MemberQueryExemptionInput[] | undefined,
): { id: string; type: 'user' }[] | undefined {
  return input?.map(({ id }) => ({ id, type: 'user' }));
}

/**
 * A copy of an input as plain data without the fields the client left out. type-graphql builds
 * inputs as class instances whose every declared field exists, `undefined` when not sent; the
 * domain refuses keys it does not know and treats absent as "unchanged".
 *
 * Only the value itself and the input objects in it are copied. Plain objects and lists inside are
 * the client's JSON values (policy values, attributes, conditions) or already mapped: they hold no
 * `undefined`, may nest deeper than the stack allows (the domain bounds them, with a clear error),
 * and may carry a `__proto__` key that a copy would turn into a prototype instead of refusing.
 */
export function withoutUndefined<T>(value: T): T {
  return withoutUndefinedFields(value, true) as T;
}

function withoutUndefinedFields(value: unknown, root: boolean): unknown {
  if (Array.isArray(value))
    return value.map((entry: unknown) =>
      isInputObject(entry) ? withoutUndefinedFields(entry, false) : entry,
    );
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (!root && !isInputObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) copy[key] = withoutUndefinedFields(entry, false);
  }
  return copy;
}

/** An instance of an input class, as type-graphql builds input objects (JSON values are plain). */
function isInputObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype !== Object.prototype && prototype !== null;
}
