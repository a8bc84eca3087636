import type { SetFeatures, UpdateProprietarySettings, UpdateSettings } from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import { FEATURE_KEYS } from '../model.js';
import type { Features } from '../model.js';
import type { OrganizationState } from '../state.js';
import {
  fieldPath,
  jsonEqual,
  rejectUnknownKeys,
  requireBoolean,
  requireObject,
} from '../validation/primitives.js';
import { applyProprietaryPatch, applySettingsPatch } from '../validation/settings.js';

export function updateSettings({ data }: UpdateSettings, state: OrganizationState): OrganizationEvent[] {
  return applySettingsPatch(state.settings, data.settings, 'settings').map((change) => ({
    type: 'SettingsUpdated',
    data: change,
  }));
}

export function updateProprietarySettings(
  { data }: UpdateProprietarySettings,
  state: OrganizationState,
): OrganizationEvent[] {
  const settings = applyProprietaryPatch(state.proprietary, data.settings, 'settings');
  if (jsonEqual(settings, state.proprietary)) return [];
  return [{ type: 'ProprietarySettingsUpdated', data: { settings } }];
}

export function setFeatures({ data }: SetFeatures, state: OrganizationState): OrganizationEvent[] {
  const changes = requireObject(data.features, 'features');
  rejectUnknownKeys(changes, FEATURE_KEYS, 'features');
  const features: Features = { ...state.features };
  for (const key of FEATURE_KEYS) {
    if (changes[key] !== undefined) features[key] = requireBoolean(changes[key], fieldPath('features', key));
  }
  if (jsonEqual(features, state.features)) return [];
  return [{ type: 'FeaturesSet', data: { features } }];
}
