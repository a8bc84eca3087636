import type { Logger } from 'pino';
import type { Principal } from './auth.js';

/** What the server knows about one GraphQL operation before the application adds its own parts. */
export interface RequestContext {
  /** Also sent back as `X-Request-Id` on HTTP; on every log line of the operation. */
  requestId: string;
  principal: Principal;
  /** Child logger bound to the request id. */
  logger: Logger;
  transport: 'http' | 'websocket';
}

/**
 * Builds the application's part of the context (read models, command handling, …) once per HTTP
 * request and once per WebSocket operation. Must not create DataLoaders: those belong in
 * `context.loaders`, whose lifetime the server controls.
 */
export type ContextFactory<App extends object> = (request: RequestContext) => App | Promise<App>;

/** What resolvers receive as `@Ctx()`. */
export type GraphQLContext<App extends object = object> = RequestContext &
  App & {
    loaders: LoaderScope<GraphQLContext<App>>;
  };

/**
 * Memoizes per-request objects (DataLoaders) by the factory that builds them. A scope lives for one
 * HTTP request, or for one event of a subscription: a loader cached for a whole subscription would
 * serve every later event the data of the first.
 *
 *   const organizationById = (ctx: AppContext) => new DataLoader((ids) => ctx.readModels.orgs(ids));
 *   ctx.loaders.get(organizationById).load(id);
 */
export class LoaderScope<Context> {
  readonly #context: Context;
  readonly #instances = new Map<(context: Context) => unknown, unknown>();

  constructor(context: Context) {
    this.#context = context;
  }

  get<T>(factory: (context: Context) => T): T {
    if (this.#instances.has(factory)) return this.#instances.get(factory) as T;
    const instance = factory(this.#context);
    this.#instances.set(factory, instance);
    return instance;
  }
}

export async function createGraphQLContext<App extends object>(
  request: RequestContext,
  factory: ContextFactory<App>,
): Promise<GraphQLContext<App>> {
  const app: App = await factory(request);
  // The server's fields win: an application part cannot replace the principal.
  const context = { ...app, ...request } as GraphQLContext<App>;
  context.loaders = new LoaderScope(context);
  return context;
}

/** The same context with an empty loader scope: one per subscription event. */
export function withFreshLoaders<App extends object>(context: GraphQLContext<App>): GraphQLContext<App> {
  const next = { ...context };
  next.loaders = new LoaderScope(next);
  return next;
}
