/**
 * Subscriptions (and any operation a client prefers to send there) over the graphql-ws protocol on
 * the GraphQL path. The connection authenticates once in `connection_init`; every operation then
 * goes through the same guards, error mapping and logging as over HTTP.
 */
import { randomUUID } from 'node:crypto';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import {
  AUTHENTICATION_MESSAGES,
  authenticateAuthorization,
  type ApiKeyAuthenticator,
  type Principal,
} from './auth.js';
import {
  createGraphQLContext,
  withFreshLoaders,
  type ContextFactory,
  type GraphQLContext,
} from './context.js';
import { formattedError, INTERNAL_ERROR_MESSAGE, mapError, requestError } from './errors.js';
import { complexityError } from './limits.js';

/** graphql-ws close codes; refused credentials get graphql-ws's own 4403 Forbidden. */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_INTERNAL_ERROR = 4500;

interface OperationState<App extends object> {
  context: GraphQLContext<App>;
  /** For the log line written when the operation completes. */
  summary: { operationName?: string; operationType: string };
  startedAt: number;
  errorCodes: Set<string>;
}

/** What graphql-ws keeps per socket (its `ctx.extra`), filled in once `connection_init` is accepted. */
type ConnectionState<App extends object> = {
  connectionId: string;
  principal: Principal;
  operations: Map<string, OperationState<App>>;
};

export interface WebSocketOptions<App extends object> {
  schema: GraphQLSchema;
  context: ContextFactory<App>;
  authenticator: ApiKeyAuthenticator;
  logger: Logger;
  validationRules: readonly ValidationRule[];
  maxComplexity: number;
}

export function serveGraphQLOverWebSocket<App extends object>(
  wsServer: WebSocketServer,
  options: WebSocketOptions<App>,
): Disposable {
  const { schema, authenticator, logger } = options;
  const rules = [...specifiedRules, ...options.validationRules];

  /** Maps errors for the client and logs the internal ones under the operation's request id. */
  function present(
    errors: readonly GraphQLError[],
    log: Logger,
    codes?: Set<string>,
  ): GraphQLFormattedError[] {
    return errors.map((error) => {
      const mapped = mapError(error);
      codes?.add(mapped.extensions.code);
      if (mapped.internal)
        log.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
      return formattedError(mapped, error.toJSON());
    });
  }

  return useServer<Record<string, unknown>, ConnectionState<App>>(
    {
      schema,
      // Never put error messages of ours into close reasons, whatever NODE_ENV says.
      isProd: true,

      async onConnect(ctx) {
        const connectionId = randomUUID();
        const log = logger.child({ connectionId, transport: 'websocket' });
        try {
          const outcome = await authenticateAuthorization(ctx.connectionParams?.authorization, authenticator);
          if (outcome.authenticated) {
            Object.assign(ctx.extra, { connectionId, principal: outcome.principal, operations: new Map() });
            log.info({ administratorId: outcome.principal.administratorId }, 'websocket connected');
            return true;
          }
          log.info({ reason: outcome.reason }, 'websocket refused');
          // graphql-ws itself answers `false` with 4403; without any credentials we say 4401.
          if (outcome.reason === 'MISSING_CREDENTIALS') {
            ctx.extra.socket.close(CLOSE_UNAUTHORIZED, AUTHENTICATION_MESSAGES.MISSING_CREDENTIALS);
          }
          return false;
        } catch (error) {
          log.error({ err: error }, 'websocket authentication failed');
          ctx.extra.socket.close(CLOSE_INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE);
          return false;
        }
      },

      async onSubscribe(ctx, id, payload) {
        const { connectionId, principal, operations } = ctx.extra;
        // graphql-ws only lets operations through after onConnect accepted the connection.
        if (!connectionId || !principal || !operations)
          throw new Error('operation on an unaccepted connection');
        const requestId = randomUUID();
        const log = logger.child({ requestId, connectionId, transport: 'websocket' });
        const operationName = payload.operationName ?? undefined;

        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          const message = error instanceof GraphQLError ? error.message : 'the query does not parse';
          return [requestError(message, 'GRAPHQL_PARSE_FAILED')];
        }
        const validationErrors = validate(schema, document, rules);
        if (validationErrors.length > 0) {
          return validationErrors.map((error) =>
            requestError(error.message, 'GRAPHQL_VALIDATION_FAILED', error.nodes),
          );
        }
        const operation = getOperationAST(document, operationName);
        if (!operation) {
          const message = operationName ? `unknown operation ${operationName}` : 'name the operation to run';
          return [requestError(message, 'OPERATION_RESOLUTION_FAILURE')];
        }
        const variables = getVariableValues(
          schema,
          operation.variableDefinitions ?? [],
          payload.variables ?? {},
        );
        if (variables.errors) {
          return variables.errors.map((error) => requestError(error.message, 'BAD_USER_INPUT', error.nodes));
        }
        const tooComplex = complexityError(
          { schema, document, operationName: operationName ?? null, variables: payload.variables ?? null },
          options.maxComplexity,
        );
        if (tooComplex) return [tooComplex];

        let contextValue: GraphQLContext<App>;
        try {
          contextValue = await createGraphQLContext(
            { requestId, principal, logger: log, transport: 'websocket' },
            options.context,
          );
        } catch (error) {
          log.error({ err: error }, 'context creation failed');
          return [
            new GraphQLError(INTERNAL_ERROR_MESSAGE, { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
          ];
        }
        const summary = {
          ...(operation.name ? { operationName: operation.name.value } : {}),
          operationType: operation.operation,
        };
        operations.set(id, {
          context: contextValue,
          summary,
          startedAt: performance.now(),
          errorCodes: new Set(),
        });
        log.info(summary, 'operation started');
        return { schema, document, operationName, variableValues: payload.variables ?? {}, contextValue };
      },

      subscribe: subscribeWithLoadersPerEvent,

      onNext(ctx, id, _payload, args, result) {
        if (!result.errors) return;
        const log = (args.contextValue as GraphQLContext<App>).logger;
        return { ...result, errors: present(result.errors, log, ctx.extra.operations?.get(id)?.errorCodes) };
      },

      onError(ctx, id, _payload, errors) {
        const operation = ctx.extra.operations?.get(id);
        const log = operation?.context.logger ?? logger.child({ connectionId: ctx.extra.connectionId });
        const presented = present(errors, log, operation?.errorCodes);
        if (!operation)
          log.info({ errorCodes: presented.map((error) => error.extensions?.code) }, 'operation refused');
        return presented;
      },

      onComplete(ctx, id) {
        const operation = ctx.extra.operations?.get(id);
        if (!operation) return;
        ctx.extra.operations?.delete(id);
        operation.context.logger.info(
          {
            ...operation.summary,
            durationMs: Math.round(performance.now() - operation.startedAt),
            ...(operation.errorCodes.size > 0 ? { errorCodes: [...operation.errorCodes] } : {}),
          },
          'operation completed',
        );
      },

      onClose(ctx, code) {
        if (ctx.extra.connectionId)
          logger.debug({ connectionId: ctx.extra.connectionId, code }, 'websocket closed');
      },
    },
    wsServer,
  );
}

/**
 * Subscription fields resolve from their event alone (who may follow what is decided when
 * subscribing), so the subscribers of one selection share one execution of each event: a thousand
 * watchers of one clone cost one execution per update, not a thousand. Keyed by the event object,
 * which a feed hands to all its followers, so an entry goes with its event.
 */
const sharedExecutions = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

/**
 * graphql-js's `subscribe`, except that every event executes with a fresh loader scope (the
 * context is built once per operation, but a DataLoader cached across events would answer later
 * events with the first event's data), once per selection (see `sharedExecutions`).
 */
async function subscribeWithLoadersPerEvent(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const context = args.contextValue as GraphQLContext;
  const selection = [
    args.operationName ?? '',
    JSON.stringify(args.variableValues ?? {}),
    print(args.document),
  ].join('\n');
  return mapEvents(source, (payload) => {
    const run = () => execute({ ...args, rootValue: payload, contextValue: withFreshLoaders(context) });
    if (typeof payload !== 'object' || payload === null) return run();
    let bySelection = sharedExecutions.get(payload);
    if (!bySelection) sharedExecutions.set(payload, (bySelection = new Map()));
    let result = bySelection.get(selection);
    if (!result) bySelection.set(selection, (result = run()));
    return result;
  });
}

/**
 * Maps an event stream like graphql-js does internally. Not an async generator function on purpose:
 * `return()` on a generator waits for its pending `next()`, which for a quiet event source may be
 * forever; here it reaches the source at once.
 */
function mapEvents<T, R>(
  source: AsyncIterable<T>,
  map: (value: T) => R | Promise<R>,
): AsyncGenerator<Awaited<R>, void, void> {
  const iterator = source[Symbol.asyncIterator]();
  const mapped: AsyncGenerator<Awaited<R>, void, void> = {
    async next() {
      const step = await iterator.next();
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await map(step.value) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
