/**
 * `orgclone clone`: previews, requests and runs a clone from the terminal, as the API key's
 * administrator. The clone runs in this process (the runtime's clone runner, the same one the
 * server runs), so it does not need a server; a server sharing the store could take it over if
 * this process stopped, and the clone would still finish exactly once.
 */
import type { CloneOrganizationInput } from '../application/clones.js';
import type { CloneProgress, CloneRunResult } from '../clone/runner.js';
import type { Outcome, PlanTotals } from '../domain/clone/plan.js';
import { OUTCOMES } from '../domain/clone/plan.js';
import type { CloneSelection, FeatureChoice } from '../domain/clone/selection.js';
import { CLONE_CATEGORIES } from '../domain/clone/selection.js';
import type { FeatureKey } from '../domain/organization/model.js';
import { FEATURE_KEYS } from '../domain/organization/model.js';
import { parseCommandArgs } from './args.js';
import type { CliCommand } from './command.js';
import { API_KEY_ENV, API_KEY_OPTION, apiKeyFrom, authenticate } from './credentials.js';
import { print, withRuntime } from './environment.js';
import { progressDisplay } from './progress.js';

export const cloneCommand: CliCommand = {
  name: 'clone',
  summary: 'clone an organization from the terminal, with a progress bar',
  help: `Usage: orgclone clone --source ORG_ID --name NAME [--api-key KEY]
                      [--deselect-category CATEGORY ...] [--deselect-item SOURCE_ID ...]
                      [--deselect-admin ADMIN_ID ...] [--reset-feature FEATURE ...]
                      [--idempotency-key KEY]

Clones the organization ORG_ID into a new organization NAME as the administrator of the API key
(--api-key, or ${API_KEY_ENV}): previews the clone (warnings go to stderr), requests it, runs it
with a progress bar on stderr, then prints the clone id, the new organization's id and the totals.
Exits 1 when the clone is refused or fails.

  --deselect-category  leave a whole category behind (repeatable): ${CLONE_CATEGORIES.join(', ')}
  --deselect-item      leave one item behind by its source id (command, policy, policy group,
                       user group, device group, IP list, conditional access policy)
  --deselect-admin     do not give this administrator access to the new organization
  --reset-feature      JumpCloud's default (disabled) instead of the source's value: ${FEATURE_KEYS.join(', ')}
  --idempotency-key    the same key with the same input finds the same clone (a safe retry)`,
  async run(argv) {
    const args = parseCommandArgs(this.name, argv, {
      ...API_KEY_OPTION,
      source: { type: 'string' },
      name: { type: 'string' },
      'deselect-category': { type: 'string', multiple: true },
      'deselect-item': { type: 'string', multiple: true },
      'deselect-admin': { type: 'string', multiple: true },
      'reset-feature': { type: 'string', multiple: true },
      'idempotency-key': { type: 'string' },
    });
    const key = apiKeyFrom(args, process.env, this.name);
    const idempotencyKey = args.string('idempotency-key');
    const features: Partial<Record<FeatureKey, FeatureChoice>> = {};
    for (const feature of args.allOf('reset-feature', FEATURE_KEYS)) features[feature] = 'JUMPCLOUD_DEFAULT';
    const selection: CloneSelection = {
      excludedCategories: args.allOf('deselect-category', CLONE_CATEGORIES),
      excludedItemIds: args.strings('deselect-item'),
      excludedAdminIds: args.strings('deselect-admin'),
      features,
    };
    const input: CloneOrganizationInput = {
      sourceOrganizationId: args.requiredString('source'),
      name: args.requiredString('name'),
      selection,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    };

    const progress = progressDisplay(process.stderr, 'cloning');
    let cloneId: string | null = null;
    // The runner may start the clone before the request returns its id: keep what it reported.
    const earlier = new Map<string, CloneProgress>();
    return withRuntime(
      {
        kind: 'one-shot',
        cloneRunner: {
          onProgress: (step) => {
            if (step.cloneId === cloneId) progress.update(step.recordedItems, step.itemCount);
            else if (cloneId === null) earlier.set(step.cloneId, step);
          },
        },
      },
      async (runtime) => {
        const { caller } = await authenticate(runtime, key);
        const { clones } = runtime.services;
        const plan = await clones.preview(caller, input);
        for (const finding of plan.preflight) {
          if (finding.severity === 'WARNING') process.stderr.write(`warning: ${finding.message}\n`);
        }
        // Refused with CONFLICT PLAN_OUTDATED if the source changed after the preview just shown.
        const operation = await clones.requestClone(caller, { ...input, expectedPlanId: plan.planId });
        cloneId = operation.cloneId;
        const reported = earlier.get(cloneId);
        if (reported) progress.update(reported.recordedItems, reported.itemCount);
        let result: CloneRunResult;
        try {
          result = await runtime.cloneRunner!.runToCompletion(operation.cloneId);
          progress.update(result.state.audit.length, result.state.itemCount);
        } finally {
          progress.finish();
        }
        const { state } = result;
        print(`Clone: ${operation.cloneId}`);
        print(`Organization: ${operation.newOrganizationId} (${state.name})`);
        print(`Status: ${state.status.toUpperCase()}`);
        const totals = state.completion?.totals ?? state.plannedTotals;
        if (totals) print(`Items: ${describeTotals(totals)}`);
        print(`Left behind: ${plan.counts.users} users, ${plan.counts.devices} devices (never cloned)`);
        if (result.outcome === 'completed') return 0;
        const reason = state.failure ? `: ${state.failure.reason}` : '';
        process.stderr.write(`error: the clone did not complete (${state.status}${reason})\n`);
        return 1;
      },
    );
  },
};

const OUTCOME_WORDS: Record<Outcome, string> = {
  COPIED: 'copied',
  COPIED_WITH_OMISSIONS: 'copied with omissions',
  RESET_TO_DEFAULT: 'reset to default',
  SKIPPED: 'skipped',
  EXCLUDED: 'excluded',
};

/** `42 (20 copied, 8 copied with omissions, …)`: items per outcome over all categories. */
function describeTotals(totals: PlanTotals): string {
  const byOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const perOutcome of Object.values(totals)) {
    for (const outcome of OUTCOMES) byOutcome[outcome] += perOutcome[outcome];
  }
  const all = OUTCOMES.reduce((sum, outcome) => sum + byOutcome[outcome], 0);
  const parts = OUTCOMES.map((outcome) => `${byOutcome[outcome]} ${OUTCOME_WORDS[outcome]}`);
  return `${all} (${parts.join(', ')})`;
}
