/**
 * Providers, administrators and API keys, as the CLI and the demo manage them (the API has no
 * mutation for them): each method runs one command on `provider-{id}`, waits until the read models
 * show it, and answers from them — so a key issued here authenticates at once.
 */
import { randomUUID } from 'node:crypto';
import type { AdminRole, BillingPlan, OrgAccess } from '../domain/organization/model.js';
import type { ProviderCommand } from '../domain/provider/commands.js';
import { providerDecider } from '../domain/provider/decider.js';
import type { EventStore } from '../eventstore/types.js';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import type { AdministratorRecord, ApiKeyRecord, ProviderRecord } from '../projections/providers/queries.js';
import { ProviderReadModel } from '../projections/providers/queries.js';
import type { ReadModelDb } from '../projections/read-model-db.js';
import { generateApiKey } from '../security/api-keys.js';
import type { IssuedApiKey } from '../security/api-keys.js';
import type { ApiKeyLookup } from '../server/auth.js';
import type { CommandMetadata } from './command-handler.js';
import { handleCommand } from './command-handler.js';
import { waitForOwnWrite } from './own-writes.js';
import { newObjectId } from './object-ids.js';
import { providerStreamId } from './streams.js';

export interface ProviderServiceOptions {
  store: EventStore;
  /** The read-model database the projection runner keeps up to date. */
  db: ReadModelDb;
  projections: Pick<ProjectionRunner, 'waitForPosition'>;
  now?: () => Date;
  /** Ids of new providers, administrators and keys; 24 random hex characters by default. */
  newId?: () => string;
  /** How long a change waits for the read models to show it. */
  projectionTimeoutMs?: number;
}

/** Who runs the operation (an operator at the CLI, the demo seeder) and what it belongs to. */
export interface Origin {
  actor: string;
  correlationId: string;
}

export interface NewAdministrator {
  providerId: string;
  email: string;
  firstname: string;
  lastname: string;
  roleName: AdminRole;
  orgAccess: OrgAccess;
  /** Only for `LINKED` access. */
  linkedOrganizationIds?: string[];
}

/** A freshly issued key: `key` is shown once and is stored nowhere. */
export interface IssuedKey {
  apiKey: ApiKeyRecord;
  key: string;
}

/** A prefix collision (48 random bits) is all but impossible; a few draws make it impossible. */
const MAX_KEY_DRAWS = 5;

export class ProviderService {
  private readonly providers: ProviderReadModel;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: ProviderServiceOptions) {
    this.providers = new ProviderReadModel(options.db);
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? newObjectId;
  }

  async createProvider(
    input: { name: string; plan: BillingPlan; orgCreationDisabled?: boolean },
    origin?: Origin,
  ): Promise<ProviderRecord> {
    const providerId = this.newId();
    await this.run(
      providerId,
      {
        type: 'CreateProvider',
        data: {
          providerId,
          name: input.name,
          plan: input.plan,
          orgCreationDisabled: input.orgCreationDisabled ?? false,
        },
      },
      origin,
    );
    return this.providers.getProvider(providerId)!;
  }

  async changePlan(
    input: { providerId: string; plan: BillingPlan },
    origin?: Origin,
  ): Promise<ProviderRecord> {
    await this.run(input.providerId, { type: 'ChangeBillingPlan', data: { plan: input.plan } }, origin);
    return this.providers.getProvider(input.providerId)!;
  }

  async addAdministrator(input: NewAdministrator, origin?: Origin): Promise<AdministratorRecord> {
    const { providerId, linkedOrganizationIds = [], ...fields } = input;
    const administratorId = this.newId();
    await this.run(
      providerId,
      { type: 'AddAdministrator', data: { ...fields, administratorId, linkedOrganizationIds } },
      origin,
    );
    return this.providers.getAdministrator(providerId, administratorId)!;
  }

  async suspendAdministrator(
    input: { providerId: string; administratorId: string },
    origin?: Origin,
  ): Promise<AdministratorRecord> {
    const { providerId, administratorId } = input;
    await this.run(providerId, { type: 'SuspendAdministrator', data: { administratorId } }, origin);
    return this.providers.getAdministrator(providerId, administratorId)!;
  }

  /** Generates a key for the administrator; only its hash and prefix enter the log. */
  async issueApiKey(
    input: { providerId: string; administratorId: string },
    origin?: Origin,
  ): Promise<IssuedKey> {
    const { providerId, administratorId } = input;
    const issued = this.drawKey();
    const apiKeyId = this.newId();
    await this.run(
      providerId,
      {
        type: 'IssueApiKey',
        data: {
          apiKeyId,
          administratorId,
          keyHash: issued.hash,
          prefix: issued.prefix,
          issuedAt: this.now().toISOString(),
        },
      },
      origin,
    );
    return { apiKey: this.providers.getApiKey(providerId, apiKeyId)!, key: issued.key };
  }

  async revokeApiKey(
    input: { providerId: string; apiKeyId: string },
    origin?: Origin,
  ): Promise<ApiKeyRecord> {
    const { providerId, apiKeyId } = input;
    await this.run(providerId, { type: 'RevokeApiKey', data: { apiKeyId } }, origin);
    return this.providers.getApiKey(providerId, apiKeyId)!;
  }

  /** What the server authenticates API keys against: the providers read model. */
  authenticatorLookup(): ApiKeyLookup {
    return this.providers;
  }

  /** A key whose prefix (the lookup part) no issued key has. */
  private drawKey(): IssuedApiKey {
    for (let draw = 0; draw < MAX_KEY_DRAWS; draw++) {
      const issued = generateApiKey();
      if (!this.providers.isApiKeyPrefixTaken(issued.prefix)) return issued;
    }
    throw new Error(`no free API key prefix after ${MAX_KEY_DRAWS} draws`);
  }

  private async run(providerId: string, command: ProviderCommand, origin?: Origin): Promise<void> {
    const { actor, correlationId } = origin ?? { actor: 'operator', correlationId: randomUUID() };
    const metadata: CommandMetadata = { correlationId, causationId: correlationId, actor };
    const { position } = await handleCommand({
      store: this.options.store,
      streamId: providerStreamId(providerId),
      decider: providerDecider,
      command,
      context: undefined,
      metadata,
      now: this.now,
    });
    await waitForOwnWrite(this.options.projections, position, this.options.projectionTimeoutMs);
  }
}
