/**
 * Runtime checks for command data. Commands reach the deciders from GraphQL, the CLI and the clone,
 * so types alone do not prove anything: every check throws a `ValidationError` naming the field path
 * and returns the value narrowed (strings trimmed where the rule says so).
 */
import type { JsonValue } from '../../../eventstore/types.js';
import { ValidationError } from '../../errors.js';

export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An entry of a record keyed by id; never an inherited property such as `constructor`. */
export function ownEntry<T>(record: Record<string, T>, id: unknown): T | undefined {
  return typeof id === 'string' && Object.hasOwn(record, id) ? record[id] : undefined;
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ValidationError(field, 'must be an object');
  return value;
}

/** Refuses keys outside `allowed`: a misspelt key would otherwise be silently ignored. */
export function rejectUnknownKeys(value: object, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ValidationError(fieldPath(field, key), 'is not a known field');
  }
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, 'must be a boolean');
  return value;
}

export interface TextRule {
  min?: number;
  max: number;
}

/** A string, trimmed, with its trimmed length within [min, max]. */
export function requireText(value: unknown, field: string, rule: TextRule): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
  const trimmed = value.trim();
  const min = rule.min ?? 0;
  if (trimmed.length < min) {
    throw new ValidationError(
      field,
      min === 1 ? 'must not be empty' : `must have at least ${min} characters`,
    );
  }
  if (trimmed.length > rule.max) throw new ValidationError(field, `must have at most ${rule.max} characters`);
  return trimmed;
}

/** A string kept exactly as given (script bodies, secrets), length within [min, max]. */
export function requireRawString(value: unknown, field: string, rule: TextRule): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
  if (value.length < (rule.min ?? 0)) throw new ValidationError(field, 'must not be empty');
  if (value.length > rule.max) throw new ValidationError(field, `must have at most ${rule.max} characters`);
  return value;
}

export function requireInteger(
  value: unknown,
  field: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ValidationError(field, 'must be an integer');
  if (value < min || value > max) {
    throw new ValidationError(
      field,
      max === Number.MAX_SAFE_INTEGER ? `must be ≥ ${min}` : `must be within ${min}..${max}`,
    );
  }
  return value;
}

export function requireFiniteNumber(value: unknown, field: string, min?: number, max?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValidationError(field, 'must be a number');
  if (min !== undefined && value < min) throw new ValidationError(field, `must be ≥ ${min}`);
  if (max !== undefined && value > max) throw new ValidationError(field, `must be ≤ ${max}`);
  return value;
}

export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireArray(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be a list');
  if (value.length > max) throw new ValidationError(field, `must have at most ${max} entries`);
  return value;
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const ARRAY_INDEX_PATTERN = /^(0|[1-9][0-9]*)$/;

/**
 * An opaque item id. Canonical array indices ("0", "42") are refused: the state keys collections by
 * id and relies on insertion order, which JavaScript does not keep for such keys.
 */
export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new ValidationError(field, 'must be an id (1–128 letters, digits, "_" or "-")');
  }
  if (ARRAY_INDEX_PATTERN.test(value) && Number(value) < 2 ** 32 - 1) {
    throw new ValidationError(field, 'must not be an integer-like id');
  }
  return value;
}

/** A list of distinct ids. */
export function requireIdList(value: unknown, field: string, max: number): string[] {
  const ids = requireArray(value, field, max).map((id, index) => requireId(id, fieldPath(field, index)));
  rejectDuplicates(ids, field);
  return ids;
}

export function rejectDuplicates(
  values: readonly string[],
  field: string,
  key: (value: string) => string = (v) => v,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const normalized = key(value);
    if (seen.has(normalized)) throw new ValidationError(fieldPath(field, index), `duplicates ${value}`);
    seen.add(normalized);
  });
}

const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

/** JumpCloud's ObjectId: 24 lower-case hex digits. */
export function requireObjectId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !OBJECT_ID_PATTERN.test(value)) {
    throw new ValidationError(field, 'must be a 24-hex-digit id');
  }
  return value;
}

const EMAIL_LOCAL_PATTERN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL_DOMAIN_PATTERN = /^[A-Za-z]{2,63}$/;

/** Whether `value` is a host name: dot-separated labels of letters, digits and inner hyphens. */
export function isHostname(value: string, requireTopLevelDomain: boolean): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.split('.');
  if (!labels.every((label) => DOMAIN_LABEL_PATTERN.test(label))) return false;
  if (!requireTopLevelDomain) return true;
  return labels.length >= 2 && TOP_LEVEL_DOMAIN_PATTERN.test(labels[labels.length - 1] ?? '');
}

/** Whether `value` is an address `local@domain.tld` (RFC 5321 lengths, dot-atom local part). */
export function isEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  return EMAIL_LOCAL_PATTERN.test(value.slice(0, at)) && isHostname(value.slice(at + 1), true);
}

export function requireEmail(value: unknown, field: string): string {
  const email = requireText(value, field, { min: 1, max: 254 });
  if (!isEmail(email)) throw new ValidationError(field, 'must be an email address');
  return email;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `value` is a calendar date `YYYY-MM-DD` that exists (no 30 February). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth =
    [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether `value` is an ISO-8601 date-time with a zone (`2024-05-01T09:30:00Z`). */
export function isIsoDateTime(value: string): boolean {
  const match = DATE_TIME_PATTERN.exec(value);
  return match !== null && isCalendarDate(match[1] ?? '');
}

/** Whether `value` is a time of day `HH:MM` (24-hour clock). */
export function isTimeOfDay(value: string): boolean {
  return TIME_PATTERN.test(value);
}

export function requireIsoDateTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isIsoDateTime(value)) {
    throw new ValidationError(field, 'must be an ISO-8601 date-time with a time zone');
  }
  return value;
}

/** A JSON value: what an event payload can carry (no undefined, no NaN, no bigint, no Date). */
export function requireJson(value: unknown, field: string, depth = 0): JsonValue {
  if (depth > 32) throw new ValidationError(field, 'is nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return requireFiniteNumber(value, field);
  if (Array.isArray(value))
    return value.map((item, index) => requireJson(item, fieldPath(field, index), depth + 1));
  if (isPlainObject(value)) {
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      // Assigning `__proto__` would replace the result's prototype instead of adding a key.
      if (key === '__proto__') throw new ValidationError(fieldPath(field, key), 'is not an allowed key');
      result[key] = requireJson(item, fieldPath(field, key), depth + 1);
    }
    return result;
  }
  throw new ValidationError(field, 'must be a JSON value');
}

/** Structural equality of JSON-like values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]))
    );
  }
  return false;
}
