/**
 * Policy values against their template: known fields only, each at most once, each value of the
 * shape its display type demands, and every required field given a non-empty value.
 */
import { ValidationError } from '../../errors.js';
import {
  MAX_POLICY_LIST_ENTRIES,
  isEmptyPolicyFieldValue,
  validatePolicyFieldValue,
} from '../../policy-templates/field-values.js';
import { isSensitivePolicyValue } from '../../policy-templates/sensitivity.js';
import type { OrganizationDecisionContext } from '../context.js';
import type { PolicyTemplate, PolicyTemplateConfigField, PolicyValue } from '../model.js';
import { fieldPath, rejectUnknownKeys, requireArray, requireBoolean, requireObject } from './primitives.js';

export function templateField(
  template: PolicyTemplate,
  configFieldID: unknown,
): PolicyTemplateConfigField | undefined {
  return template.configFields.find((field) => field.id === configFieldID);
}

/** Validated plain values, in the order given. */
export function validatePolicyValues(template: PolicyTemplate, values: unknown, path: string): PolicyValue[] {
  // The cap only bounds the work: past the template's fields, the first extra entry is refused by name.
  const entries = requireArray(values, path, MAX_POLICY_LIST_ENTRIES);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const entryPath = fieldPath(path, index);
    const value = requireObject(entry, entryPath);
    rejectUnknownKeys(value, ['configFieldID', 'value', 'sensitive'], entryPath);
    const field = templateField(template, value.configFieldID);
    if (!field) {
      throw new ValidationError(
        fieldPath(entryPath, 'configFieldID'),
        `${String(value.configFieldID)} is not a field of template ${template.name}`,
      );
    }
    if (seen.has(field.id))
      throw new ValidationError(fieldPath(entryPath, 'configFieldID'), `repeats field ${field.id}`);
    seen.add(field.id);
    const valuePath = fieldPath(entryPath, 'value');
    if (value.value === undefined || value.value === null) {
      throw new ValidationError(
        valuePath,
        `is missing for field ${field.name} (${field.id}); omit the entry instead`,
      );
    }
    const plain = validatePolicyFieldValue(field, value.value, valuePath);
    if (field.required && isEmptyPolicyFieldValue(plain)) {
      throw new ValidationError(valuePath, `is required for field ${field.name} (${field.id})`);
    }
    const sensitive =
      value.sensitive === undefined
        ? false
        : requireBoolean(value.sensitive, fieldPath(entryPath, 'sensitive'));
    return { configFieldID: field.id, value: plain, sensitive };
  });
}

/** Refuses a set of values that leaves a required field of the template without one. */
export function requireRequiredValues(
  template: PolicyTemplate,
  values: readonly PolicyValue[],
  path: string,
): void {
  for (const field of template.configFields) {
    if (field.required && !values.some((value) => value.configFieldID === field.id)) {
      throw new ValidationError(path, `required field ${field.name} (${field.id}) has no value`);
    }
  }
}

/** The values as they may enter an event: every sensitive one sealed. */
export function sealSensitiveValues(
  template: PolicyTemplate,
  values: readonly PolicyValue[],
  context: OrganizationDecisionContext,
): PolicyValue[] {
  return values.map((value) => {
    const field = templateField(template, value.configFieldID);
    if (!field || !isSensitivePolicyValue(field, value)) return value;
    return { ...value, value: context.seal(value.value) };
  });
}
