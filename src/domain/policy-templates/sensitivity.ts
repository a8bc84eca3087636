import type { DisplayType, PolicyTemplateConfigField, PolicyValue } from '../organization/model.js';

/** Display types whose values are never copied by a clone and are held sealed at rest (SPEC §2). */
export const SENSITIVE_DISPLAY_TYPES: readonly DisplayType[] = ['text', 'textarea', 'file'];

/**
 * Whether a policy value must be treated as sensitive: its field is `text`, `textarea` or `file`,
 * or is marked sensitive by the template, or the value itself is marked sensitive. With no value,
 * the answer is about the field alone (what a clone planner asks of a required field).
 *
 * Such values are sealed before they enter an event, returned as `null` by the API, and left
 * behind by a clone.
 */
export function isSensitivePolicyValue(
  field: PolicyTemplateConfigField,
  value: PolicyValue | undefined,
): boolean {
  return SENSITIVE_DISPLAY_TYPES.includes(field.displayType) || field.sensitive || value?.sensitive === true;
}
