/**
 * JumpCloud's conditional access condition grammar (`AuthnCondition`): each node is an object with
 * exactly one key — a device test, an IP-list or location test, or `not` / `all` / `any` over nested
 * conditions. Nesting is bounded so that a hostile input cannot exhaust the stack.
 */
import { NotFoundError, ValidationError } from '../../errors.js';
import type { AuthnCondition } from '../model.js';
import { COUNTRY_CODES } from './countries.js';
import {
  fieldPath,
  rejectDuplicates,
  rejectUnknownKeys,
  requireArray,
  requireBoolean,
  requireId,
  requireObject,
} from './primitives.js';

export const MAX_CONDITION_DEPTH = 8;
const MAX_CONDITION_OPERANDS = 50;
const MAX_CONDITION_IP_LISTS = 100;
const CONDITION_KEYS = [
  'deviceManaged',
  'deviceEncrypted',
  'ipAddressIn',
  'locationIn',
  'not',
  'all',
  'any',
] as const;

export function validateAuthnCondition(
  value: unknown,
  path: string,
  ipListExists: (ipListId: string) => boolean,
  depth = 1,
): AuthnCondition {
  if (depth > MAX_CONDITION_DEPTH)
    throw new ValidationError(path, `nests deeper than ${MAX_CONDITION_DEPTH} levels`);
  const node = requireObject(value, path);
  rejectUnknownKeys(node, CONDITION_KEYS, path);
  const keys = Object.keys(node);
  if (keys.length !== 1)
    throw new ValidationError(path, `must have exactly one of ${CONDITION_KEYS.join(', ')}`);
  const key = keys[0] as (typeof CONDITION_KEYS)[number];
  const operandPath = fieldPath(path, key);
  const operand = node[key];
  switch (key) {
    case 'deviceManaged':
      return { deviceManaged: requireBoolean(operand, operandPath) };
    case 'deviceEncrypted':
      return { deviceEncrypted: requireBoolean(operand, operandPath) };
    case 'ipAddressIn': {
      const ids = nonEmptyList(operand, operandPath, MAX_CONDITION_IP_LISTS).map((id, index) => {
        const ipListId = requireId(id, fieldPath(operandPath, index));
        if (!ipListExists(ipListId))
          throw new NotFoundError('IP list', ipListId, fieldPath(operandPath, index));
        return ipListId;
      });
      rejectDuplicates(ids, operandPath);
      return { ipAddressIn: ids };
    }
    case 'locationIn': {
      const location = requireObject(operand, operandPath);
      rejectUnknownKeys(location, ['countries'], operandPath);
      const countriesPath = fieldPath(operandPath, 'countries');
      const countries = nonEmptyList(location.countries, countriesPath, COUNTRY_CODES.size).map(
        (code, index) => {
          if (typeof code !== 'string' || !COUNTRY_CODES.has(code)) {
            throw new ValidationError(
              fieldPath(countriesPath, index),
              'must be an ISO 3166-1 alpha-2 country code',
            );
          }
          return code;
        },
      );
      rejectDuplicates(countries, countriesPath);
      return { locationIn: { countries } };
    }
    case 'not':
      return { not: validateAuthnCondition(operand, operandPath, ipListExists, depth + 1) };
    case 'all':
    case 'any': {
      const operands = nonEmptyList(operand, operandPath, MAX_CONDITION_OPERANDS).map((item, index) =>
        validateAuthnCondition(item, fieldPath(operandPath, index), ipListExists, depth + 1),
      );
      return key === 'all' ? { all: operands } : { any: operands };
    }
  }
}

function nonEmptyList(value: unknown, path: string, max: number): unknown[] {
  const list = requireArray(value, path, max);
  if (list.length === 0) throw new ValidationError(path, 'must not be empty');
  return list;
}

/** Every IP list a condition refers to, in order of appearance, without repeats. */
export function conditionIpListIds(condition: AuthnCondition | null): string[] {
  const ids = new Set<string>();
  const visit = (node: AuthnCondition): void => {
    if ('ipAddressIn' in node) node.ipAddressIn.forEach((id) => ids.add(id));
    else if ('not' in node) visit(node.not);
    else if ('all' in node) node.all.forEach(visit);
    else if ('any' in node) node.any.forEach(visit);
  };
  if (condition) visit(condition);
  return [...ids];
}
