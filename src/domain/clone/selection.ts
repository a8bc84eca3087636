/**
 * What the admin chose to clone (SPEC §2). By default everything; the admin can deselect whole
 * categories, single items by source id, administrators, and choose per feature between the
 * source's value and JumpCloud's default (disabled).
 */
import { FEATURE_KEYS, SETTING_CATEGORIES } from '../organization/model.js';
import type { FeatureKey } from '../organization/model.js';

/** Categories the admin can deselect as a whole, in the wizard's order. */
export const CLONE_CATEGORIES = [
  ...SETTING_CATEGORIES,
  'COMMANDS',
  'POLICIES',
  'USER_GROUPS',
  'DEVICE_GROUPS',
  'MFA',
  'CONDITIONAL_ACCESS_POLICIES',
] as const;
export type CloneCategory = (typeof CLONE_CATEGORIES)[number];

export const FEATURE_CHOICES = ['KEEP_SOURCE', 'JUMPCLOUD_DEFAULT'] as const;
export type FeatureChoice = (typeof FEATURE_CHOICES)[number];

/** The selection as a caller gives it: everything left out means "selected" / `KEEP_SOURCE`. */
export interface CloneSelection {
  excludedCategories?: readonly CloneCategory[];
  /**
   * Source ids of single items: commands, policies, policy groups, user groups, device groups,
   * IP lists and conditional access policies.
   */
  excludedItemIds?: readonly string[];
  features?: Partial<Record<FeatureKey, FeatureChoice>>;
  excludedAdminIds?: readonly string[];
}

/** The one spelling of a selection: sorted, without duplicates, every default explicit. */
export interface NormalizedSelection {
  excludedCategories: CloneCategory[];
  excludedItemIds: string[];
  features: Record<FeatureKey, FeatureChoice>;
  excludedAdminIds: string[];
}

function sortedUnique<T extends string>(values: readonly T[] | undefined): T[] {
  // Code-unit order, independent of locale, so the planId is the same on every machine.
  return [...new Set(values ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function normalizeSelection(selection: CloneSelection | undefined = {}): NormalizedSelection {
  const features = {} as Record<FeatureKey, FeatureChoice>;
  for (const key of FEATURE_KEYS) features[key] = selection.features?.[key] ?? 'KEEP_SOURCE';
  return {
    excludedCategories: CLONE_CATEGORIES.filter((category) =>
      selection.excludedCategories?.includes(category),
    ),
    excludedItemIds: sortedUnique(selection.excludedItemIds),
    features,
    excludedAdminIds: sortedUnique(selection.excludedAdminIds),
  };
}

/** One deselection of a selection: the unit whose effects the preview explains. */
export type Deselection =
  | { type: 'CATEGORY'; category: CloneCategory }
  | { type: 'ITEM'; sourceId: string }
  | { type: 'ADMIN'; administratorId: string };

/** The deselections of a normalized selection, in its order: categories, items, admins. */
export function deselectionsOf(selection: NormalizedSelection): Deselection[] {
  return [
    ...selection.excludedCategories.map((category): Deselection => ({ type: 'CATEGORY', category })),
    ...selection.excludedItemIds.map((sourceId): Deselection => ({ type: 'ITEM', sourceId })),
    ...selection.excludedAdminIds.map((administratorId): Deselection => ({ type: 'ADMIN', administratorId })),
  ];
}
