import { MFA_METHODS } from '../organization/model.js';
import type { MfaConfiguration, MfaMethod } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { PlanEntry } from './evaluation.js';
import { copiedAsIs, excludedBySelection, Findings } from './evaluation.js';
import type { MfaMethodContent } from './plan.js';

function methodContent<M extends MfaMethod>(method: M, mfa: MfaConfiguration): MfaMethodContent {
  return { method, settings: structuredClone(mfa[method]) } as MfaMethodContent;
}

/** SPEC §2: push, TOTP and WebAuthn settings are copied; a Duo configuration never is (nor read). */
export function mfaEntries(
  source: OrganizationState,
): (PlanEntry<'MFA_METHOD'> | PlanEntry<'DUO_CONFIGURATION'>)[] {
  const methods = MFA_METHODS.map((method): PlanEntry<'MFA_METHOD'> => ({
    kind: 'MFA_METHOD',
    sourceId: method,
    name: method,
    category: 'MFA',
    selectionCategory: 'MFA',
    deselectableBy: null,
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: (context) =>
      context.excluded
        ? excludedBySelection()
        : { verdict: copiedAsIs(), content: () => methodContent(method, source.mfa) },
  }));
  if (source.mfa.duo === null) return methods;
  const duo: PlanEntry<'DUO_CONFIGURATION'> = {
    kind: 'DUO_CONFIGURATION',
    sourceId: 'duo',
    name: 'Duo',
    category: 'MFA',
    selectionCategory: 'MFA',
    deselectableBy: null,
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: (context) =>
      context.excluded
        ? excludedBySelection()
        : { verdict: new Findings().add('DUO_NOT_CLONED').skipped(), content: null },
  };
  return [...methods, duo];
}
