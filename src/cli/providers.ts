/** `orgclone provider create` and `orgclone admin create`: the accounts the API has no mutation for. */
import { randomUUID } from 'node:crypto';
import type { Origin } from '../application/providers.js';
import { NotFoundError } from '../domain/errors.js';
import { ADMIN_ROLES, BILLING_PLANS, ORG_ACCESS_LEVELS } from '../domain/organization/model.js';
import { parseCommandArgs, UsageError } from './args.js';
import type { CliCommand } from './command.js';
import { print, withRuntime } from './environment.js';

/** Changes made at the CLI are recorded as the operator's. */
function operatorOrigin(): Origin {
  return { actor: 'operator', correlationId: randomUUID() };
}

export const providerCreateCommand: CliCommand = {
  name: 'provider create',
  summary: 'create a provider (MSP); prints its id',
  help: `Usage: orgclone provider create --name NAME [--plan PAID|TRIAL|FREE]

Creates a provider and prints its id. Cloning needs the PAID plan (the default).`,
  async run(argv) {
    const args = parseCommandArgs(this.name, argv, {
      name: { type: 'string' },
      plan: { type: 'string' },
    });
    const name = args.requiredString('name');
    const plan = args.oneOf('plan', BILLING_PLANS, 'PAID');
    const provider = await withRuntime({ kind: 'one-shot', cloneRunner: false }, (runtime) =>
      runtime.providers.createProvider({ name, plan }, operatorOrigin()),
    );
    print(provider.id);
    return 0;
  },
};

export const adminCreateCommand: CliCommand = {
  name: 'admin create',
  summary: 'add an administrator to a provider; prints its id and its API key (shown once)',
  help: `Usage: orgclone admin create --provider PROVIDER_ID --email EMAIL --role ROLE
                            [--firstname NAME] [--lastname NAME]
                            [--org-access ALL|LINKED] [--linked-org ORG_ID ...]

Adds an administrator and issues its API key. Prints

  Administrator: <id>
  API key: <key>

The key is shown this once and stored only as a hash: keep it.

ROLE is one of ${ADMIN_ROLES.map((role) => `"${role}"`).join(', ')}.
--org-access LINKED limits the administrator to the organizations given with --linked-org
(repeatable); ALL (the default) gives access to every organization of the provider.`,
  async run(argv) {
    const args = parseCommandArgs(this.name, argv, {
      provider: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      firstname: { type: 'string' },
      lastname: { type: 'string' },
      'org-access': { type: 'string' },
      'linked-org': { type: 'string', multiple: true },
    });
    const providerId = args.requiredString('provider');
    const email = args.requiredString('email');
    const roleName = args.oneOf('role', ADMIN_ROLES);
    const orgAccess = args.oneOf('org-access', ORG_ACCESS_LEVELS, 'ALL');
    const linkedOrganizationIds = args.strings('linked-org');
    if (orgAccess === 'ALL' && linkedOrganizationIds.length > 0) {
      throw new UsageError('--linked-org needs --org-access LINKED', this.name);
    }
    const { administrator, key } = await withRuntime(
      { kind: 'one-shot', cloneRunner: false },
      async (runtime) => {
        if (!runtime.services.readModels.providers.getProvider(providerId)) {
          throw new NotFoundError('provider', providerId, 'providerId');
        }
        const origin = operatorOrigin();
        const added = await runtime.providers.addAdministrator(
          {
            providerId,
            email,
            firstname: args.string('firstname') ?? '',
            lastname: args.string('lastname') ?? '',
            roleName,
            orgAccess,
            linkedOrganizationIds,
          },
          origin,
        );
        const issued = await runtime.providers.issueApiKey({ providerId, administratorId: added.id }, origin);
        return { administrator: added, key: issued.key };
      },
    );
    print(`Administrator: ${administrator.id}`);
    print(`API key: ${key}`);
    return 0;
  },
};
