import { PROPRIETARY_SETTING_KEYS, SETTING_CATEGORIES } from '../organization/model.js';
import type { OrganizationSettings, SettingCategory } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { PlanEntry } from './evaluation.js';
import { copiedAsIs, excludedBySelection, Findings } from './evaluation.js';
import type { SettingContent } from './plan.js';

function settingContent<C extends SettingCategory>(
  category: C,
  settings: OrganizationSettings,
): SettingContent {
  // The content is the new organization's own value: never an alias of the source's state.
  return { category, values: structuredClone(settings[category]) } as SettingContent;
}

/** One entry per setting category: copied as it is unless the category is deselected. */
export function settingEntries(source: OrganizationState): PlanEntry<'SETTING'>[] {
  return SETTING_CATEGORIES.map((category) => ({
    kind: 'SETTING',
    sourceId: category,
    name: category,
    category,
    selectionCategory: category,
    deselectableBy: null,
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: (context) =>
      context.excluded
        ? excludedBySelection()
        : { verdict: copiedAsIs(), content: () => settingContent(category, source.settings) },
  }));
}

/** One entry per proprietary setting the source has: never copied, its value never read. */
export function proprietarySettingEntries(source: OrganizationState): PlanEntry<'PROPRIETARY_SETTING'>[] {
  return PROPRIETARY_SETTING_KEYS.filter((key) => source.proprietary[key] !== undefined).map((key) => ({
    kind: 'PROPRIETARY_SETTING',
    sourceId: key,
    name: key,
    category: 'PROPRIETARY_SETTINGS',
    selectionCategory: null,
    deselectableBy: null,
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: () => ({ verdict: new Findings().add('PROPRIETARY_SETTING').skipped(), content: null }),
  }));
}
