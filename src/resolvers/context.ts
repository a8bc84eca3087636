/**
 * What resolvers receive. The application's services travel in the context (not in a container):
 * the schema is then the same object whatever store it serves, so `schema.graphql` is emitted without
 * one, and one process may serve several stores in tests. The server builds the context per HTTP
 * request and per WebSocket operation from `orgcloneContext(services)`; DataLoaders live in
 * `ctx.loaders` (see `loaders.ts`).
 */
import type { CloneAuditService } from '../application/clone-audit.js';
import type { CloneService } from '../application/clones.js';
import type { Caller, OrganizationService } from '../application/organizations.js';
import type { CloneProgressFeeds } from '../clone/progress-feed.js';
import type { EventStore } from '../eventstore/types.js';
import type { CloneReadModel } from '../projections/clones/queries.js';
import type { OrganizationReadModel } from '../projections/organizations/queries.js';
import type { ProviderReadModel } from '../projections/providers/queries.js';
import type { ContextFactory, GraphQLContext } from '../server/context.js';

export interface OrgcloneServices {
  organizations: OrganizationService;
  clones: CloneService;
  cloneAudit: CloneAuditService;
  /** Reads that need no permission beyond what the parent field checked (nested lists, `me`). */
  readModels: {
    organizations: OrganizationReadModel;
    providers: ProviderReadModel;
    clones: CloneReadModel;
  };
  /** The event log: `cloneProgress` reads who requested a clone from its stream. */
  store: EventStore;
  /** `cloneProgress`: each followed clone's stream, wherever the clone runs. */
  cloneProgress: CloneProgressFeeds;
}

export interface OrgcloneApp {
  services: OrgcloneServices;
}

export type OrgcloneContext = GraphQLContext<OrgcloneApp>;

/** The server's `context` option. */
export function orgcloneContext(services: OrgcloneServices): ContextFactory<OrgcloneApp> {
  return () => ({ services });
}

/** The caller as the application services take it. */
export function callerOf(ctx: OrgcloneContext): Caller {
  return { principal: ctx.principal, requestId: ctx.requestId };
}

/** Every mutation takes one `input`; its type says what each field does. */
export const INPUT_ARGUMENT = { description: 'What to change: see the fields of its type.' };
