import { defaultFeatures } from '../organization/defaults.js';
import { FEATURE_KEYS } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { PlanEntry } from './evaluation.js';
import { copiedAsIs, Findings } from './evaluation.js';
import type { NormalizedSelection } from './selection.js';

/** SPEC §2: each feature keeps the source's value, or JumpCloud's default (disabled) when chosen. */
export function featureEntries(
  source: OrganizationState,
  selection: NormalizedSelection,
): PlanEntry<'FEATURE'>[] {
  const defaults = defaultFeatures();
  return FEATURE_KEYS.map((feature) => ({
    kind: 'FEATURE',
    sourceId: feature,
    name: feature,
    category: 'FEATURES',
    selectionCategory: null,
    deselectableBy: null,
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: () =>
      selection.features[feature] === 'JUMPCLOUD_DEFAULT'
        ? {
            verdict: new Findings().add('JUMPCLOUD_DEFAULT_SELECTED').resetToDefault(),
            content: () => ({ feature, enabled: defaults[feature] }),
          }
        : { verdict: copiedAsIs(), content: () => ({ feature, enabled: source.features[feature] }) },
  }));
}
