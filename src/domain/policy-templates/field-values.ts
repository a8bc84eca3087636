/**
 * What a policy value must look like for its template field, per JumpCloud display type.
 * Returns the value as it will be stored (unchanged: policy values are kept exactly as given).
 */
import type { JsonValue } from '../../eventstore/types.js';
import { ValidationError } from '../errors.js';
import type { DisplayType, PolicyTemplateConfigField } from '../organization/model.js';
import {
  fieldPath,
  isCalendarDate,
  isEmail,
  isIsoDateTime,
  isPlainObject,
  isTimeOfDay,
  rejectDuplicates,
  rejectUnknownKeys,
  requireArray,
  requireFiniteNumber,
  requireRawString,
} from '../organization/validation/primitives.js';

export const MAX_POLICY_TEXT_LENGTH = 65_536;
/** Base64 of a 512 KiB file: large enough for certificates and images, well under the 1 MiB request cap. */
export const MAX_POLICY_FILE_BASE64_LENGTH = 699_052;
export const MAX_POLICY_LIST_ENTRIES = 1_000;
const MAX_FILE_NAME_LENGTH = 255;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type FieldValidator = (field: PolicyTemplateConfigField, value: unknown, path: string) => JsonValue;

const checkbox: FieldValidator = (_field, value, path) => {
  if (typeof value !== 'boolean') throw new ValidationError(path, 'must be a boolean');
  return value;
};

const number: FieldValidator = (field, value, path) =>
  requireFiniteNumber(value, path, field.displayOptions?.min, field.displayOptions?.max);

const string: FieldValidator = (_field, value, path) =>
  requireRawString(value, path, { max: MAX_POLICY_TEXT_LENGTH });

function formattedString(isValid: (value: string) => boolean, format: string): FieldValidator {
  return (field, value, path) => {
    const text = string(field, value, path) as string;
    if (text !== '' && !isValid(text)) throw new ValidationError(path, `must be ${format}`);
    return text;
  };
}

const choice: FieldValidator = (field, value, path) => {
  const text = string(field, value, path) as string;
  const allowed = field.displayOptions?.values;
  if (allowed && !allowed.includes(text))
    throw new ValidationError(path, `must be one of ${allowed.join(', ')}`);
  return text;
};

const choices: FieldValidator = (field, value, path) => {
  const entries = requireArray(value, path, MAX_POLICY_LIST_ENTRIES).map(
    (entry, index) => choice(field, entry, fieldPath(path, index)) as string,
  );
  rejectDuplicates(entries, path);
  return entries;
};

const table: FieldValidator = (field, value, path) =>
  requireArray(value, path, MAX_POLICY_LIST_ENTRIES).map((row, index) => {
    const rowPath = fieldPath(path, index);
    if (!isPlainObject(row)) throw new ValidationError(rowPath, 'must be a row object');
    const columns = field.displayOptions?.columns ?? Object.keys(row);
    rejectUnknownKeys(row, columns, rowPath);
    const cells: Record<string, JsonValue> = {};
    for (const column of columns) {
      const cell = row[column];
      if (typeof cell === 'string')
        cells[column] = requireRawString(cell, fieldPath(rowPath, column), { max: MAX_POLICY_TEXT_LENGTH });
      else if (typeof cell === 'boolean') cells[column] = cell;
      else if (typeof cell === 'number')
        cells[column] = requireFiniteNumber(cell, fieldPath(rowPath, column));
      else throw new ValidationError(fieldPath(rowPath, column), 'must be a string, number or boolean');
    }
    return cells;
  });

const file: FieldValidator = (_field, value, path) => {
  if (!isPlainObject(value)) throw new ValidationError(path, 'must be a file { name, contentBase64 }');
  rejectUnknownKeys(value, ['name', 'contentBase64'], path);
  const name = requireRawString(value.name, fieldPath(path, 'name'), { min: 1, max: MAX_FILE_NAME_LENGTH });
  const contentPath = fieldPath(path, 'contentBase64');
  const content = requireRawString(value.contentBase64, contentPath, {
    min: 1,
    max: MAX_POLICY_FILE_BASE64_LENGTH,
  });
  if (!BASE64_PATTERN.test(content)) throw new ValidationError(contentPath, 'must be base64');
  return { name, contentBase64: content };
};

const dateRange: FieldValidator = (_field, value, path) => {
  if (!isPlainObject(value)) throw new ValidationError(path, 'must be a range { start, end }');
  rejectUnknownKeys(value, ['start', 'end'], path);
  const [start, end] = (['start', 'end'] as const).map((key) => {
    const date = value[key];
    if (typeof date !== 'string' || !isCalendarDate(date)) {
      throw new ValidationError(fieldPath(path, key), 'must be a date YYYY-MM-DD');
    }
    return date;
  }) as [string, string];
  if (start > end) throw new ValidationError(fieldPath(path, 'end'), 'must not be before start');
  return { start, end };
};

const VALIDATORS: Record<DisplayType, FieldValidator> = {
  checkbox,
  number,
  numberinline: number,
  select: choice,
  radio: choice,
  segmentedbutton: choice,
  singlelistbox: choice,
  searchandselect: choice,
  multilist: choices,
  doublelistbox: choices,
  paginationlist: choices,
  table,
  text: string,
  textarea: string,
  copywell: string,
  email: formattedString(isEmail, 'an email address'),
  date: formattedString(isCalendarDate, 'a date YYYY-MM-DD'),
  datetimepicker: formattedString(isIsoDateTime, 'an ISO-8601 date-time with a time zone'),
  timeinput: formattedString(isTimeOfDay, 'a time HH:MM'),
  datepickerrange: dateRange,
  file,
};

export function validatePolicyFieldValue(
  field: PolicyTemplateConfigField,
  value: unknown,
  path: string,
): JsonValue {
  return VALIDATORS[field.displayType](field, value, path);
}

/** An empty string or list: allowed for an optional field, not enough for a required one. */
export function isEmptyPolicyFieldValue(value: JsonValue): boolean {
  return (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}
