/** Lookups shared by the organization's decisions: existing items, new ids, references, unique names. */
import { ConflictError, NotFoundError } from '../../errors.js';
import { normalizeName } from '../naming.js';
import {
  fieldPath,
  ownEntry,
  rejectDuplicates,
  rejectUnknownKeys,
  requireArray,
  requireId,
} from '../validation/primitives.js';

/** Upper bound of any list of references in one command. */
export const MAX_REFERENCES = 10_000;

export function existingItem<T>(items: Record<string, T>, id: unknown, entity: string, field: string): T {
  const item = ownEntry(items, id);
  if (item === undefined) throw new NotFoundError(entity, String(id), field);
  return item;
}

export function requireNewId(
  items: Record<string, unknown>,
  id: unknown,
  entity: string,
  field: string,
): string {
  const newId = requireId(id, field);
  if (Object.hasOwn(items, newId))
    throw new ConflictError('ALREADY_EXISTS', `${entity} ${newId} already exists`, field);
  return newId;
}

/** Distinct ids of existing items (`undefined` means none). */
export function requireExistingIds(
  ids: unknown,
  items: Record<string, unknown>,
  entity: string,
  field: string,
  max = MAX_REFERENCES,
): string[] {
  if (ids === undefined) return [];
  const list = requireArray(ids, field, max).map((id, index) => {
    const path = fieldPath(field, index);
    const existing = requireId(id, path);
    if (!Object.hasOwn(items, existing)) throw new NotFoundError(entity, existing, path);
    return existing;
  });
  rejectDuplicates(list, field);
  return list;
}

export function rejectTakenName(
  items: Record<string, { id: string; name: string }>,
  name: string,
  ownId: string,
  entity: string,
  field: string,
): void {
  const key = normalizeName(name);
  const taken = Object.values(items).some((item) => item.id !== ownId && normalizeName(item.name) === key);
  if (taken) throw new ConflictError('NAME_TAKEN', `a ${entity} named "${name}" already exists`, field);
}

/**
 * The item fields an `Update…` command really changes: keys other than the item's id that carry a
 * value. Keys that are not fields of the item are refused (links change through their own commands).
 */
export function definedChanges<T extends object, K extends keyof T & string>(
  data: T,
  idKey: K,
  fieldKeys: readonly string[],
): Partial<Omit<T, K>> {
  rejectUnknownKeys(data, [idKey, ...fieldKeys], '');
  return Object.fromEntries(
    Object.entries(data).filter(([key, value]) => key !== idKey && value !== undefined),
  ) as Partial<Omit<T, K>>;
}

/** The lineage part of an item a clone creates: `{ clonedFromId }`, or nothing. */
export function lineage(clonedFromId: unknown): { clonedFromId?: string } {
  return clonedFromId === undefined ? {} : { clonedFromId: requireId(clonedFromId, 'clonedFromId') };
}

/** Field names of an item type, spelled once as an exhaustive record so that they follow the type. */
export function keysOf<T>(keys: Record<keyof T, true>): (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}
