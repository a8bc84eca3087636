/**
 * `orgclone audit export` and `orgclone audit verify`: what auditors ask of a clone, scoped to the
 * provider of the API key's administrator (a clone of another provider is NOT_FOUND, as in the API).
 */
import { once } from 'node:events';
import type { Runtime } from '../app/runtime.js';
import type { AuditExportFormat, CloneAuditVerification } from '../application/clone-audit.js';
import { NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/provider/permissions.js';
import { authorize, canSeeOrganization } from '../domain/provider/permissions.js';
import { parseCommandArgs, type ParsedArgs } from './args.js';
import type { CliCommand } from './command.js';
import { API_KEY_ENV, API_KEY_OPTION, apiKeyFrom, authenticate } from './credentials.js';
import { print, withRuntime } from './environment.js';

const EXPORT_FORMATS: readonly AuditExportFormat[] = ['json', 'csv'];

export const auditExportCommand: CliCommand = {
  name: 'audit export',
  summary: "write a clone's audit (one row per source item) to stdout as JSON or CSV",
  help: `Usage: orgclone audit export CLONE_ID [--format json|csv] [--api-key KEY]

Writes the audit of the clone to stdout: every source item with its outcome, reasons, new id,
omitted fields and dropped references. json (the default) is {"clone": …, "rows": […]}; csv has a
header line and RFC 4180 quoting. The API key (--api-key, or ${API_KEY_ENV}) says whose clones
may be read: its administrator's provider's, by any role but 'Billing Only'.`,
  async run(argv) {
    const args = parseCommandArgs(this.name, argv, { ...API_KEY_OPTION, format: { type: 'string' } }, 1);
    const cloneId = args.positional(0, 'CLONE_ID');
    const format = args.oneOf('format', EXPORT_FORMATS, 'json');
    const key = apiKeyFrom(args, process.env, this.name);
    await withAuditReader(key, cloneId, async (runtime, actor) => {
      const chunks = await runtime.services.cloneAudit.exportAudit(actor.providerId, cloneId, format);
      for await (const chunk of chunks) {
        if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      }
    });
    return 0;
  },
};

export const auditVerifyCommand: CliCommand = {
  name: 'audit verify',
  summary: "check a clone's hash chain, its recorded outcomes and the audit read model; exit 1 on a mismatch",
  help: `Usage: orgclone audit verify CLONE_ID [--api-key KEY]

Re-reads the clone's history from the event log: checks every event's chain hash and what
CloneCompleted records, and compares the audit read model with the events row by row. Prints
"OK" and how many events were checked, or the first event that does not match; exits 1 then.
The API key (--api-key, or ${API_KEY_ENV}) scopes it as for 'audit export'.`,
  async run(argv) {
    const args: ParsedArgs = parseCommandArgs(this.name, argv, API_KEY_OPTION, 1);
    const cloneId = args.positional(0, 'CLONE_ID');
    const key = apiKeyFrom(args, process.env, this.name);
    const verification = await withAuditReader(key, cloneId, (runtime, actor) =>
      runtime.services.cloneAudit.verify(actor.providerId, cloneId),
    );
    print(describeVerification(verification));
    return verification.ok ? 0 : 1;
  },
};

/** Runs `read` for an administrator who may read the clone's audit; the runtime runs no clones. */
function withAuditReader<T>(
  key: string,
  cloneId: string,
  read: (runtime: Runtime, actor: Actor) => Promise<T>,
): Promise<T> {
  return withRuntime({ kind: 'one-shot', cloneRunner: false }, async (runtime) => {
    const { actor } = await authenticate(runtime, key);
    authorize(actor, { type: 'READ' });
    const operation = runtime.services.readModels.clones.getCloneOperation(cloneId);
    // An administrator with LINKED access reads the clones of organizations it sees.
    if (
      operation !== null &&
      ![operation.sourceOrganizationId, operation.newOrganizationId].some((id) =>
        canSeeOrganization(actor, { id, providerId: operation.providerId ?? '' }),
      )
    ) {
      throw new NotFoundError('clone', cloneId, 'cloneId');
    }
    return read(runtime, actor);
  });
}

function describeVerification(verification: CloneAuditVerification): string {
  if (verification.ok) return `OK: ${verification.eventsChecked} events checked`;
  const mismatch = verification.firstMismatch!;
  const details = [
    mismatch.ordinal === undefined ? null : `audit row ${mismatch.ordinal}`,
    mismatch.field === undefined ? null : `field ${mismatch.field}`,
  ].filter((detail) => detail !== null);
  return (
    `MISMATCH: ${mismatch.problem} at version ${mismatch.version} ` +
    `(event ${mismatch.eventId}, ${mismatch.type})${details.length > 0 ? `, ${details.join(', ')}` : ''}`
  );
}
