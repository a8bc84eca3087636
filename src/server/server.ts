/**
 * The HTTP and WebSocket server the GraphQL schema plugs into: `/graphql` (GraphQL over HTTP, and
 * graphql-ws on the same path), `/healthz`, `/readyz`, `/metrics`; authentication, request limits,
 * error mapping, structured logs, metrics and graceful shutdown.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { UnauthenticatedError } from '../domain/errors.js';
import {
  AUTHENTICATION_MESSAGES,
  authenticateAuthorization,
  type ApiKeyAuthenticator,
  type AuthenticationOutcome,
} from './auth.js';
import { createGraphQLContext, type ContextFactory, type GraphQLContext } from './context.js';
import { formatError, httpStatusOf, INTERNAL_ERROR_MESSAGE, mapError, requestError } from './errors.js';
import { complexityError, maxDepthRule } from './limits.js';
import type { OperationType, OrgcloneMetrics } from './metrics.js';
import { serveGraphQLOverWebSocket } from './websocket.js';

export const GRAPHQL_PATH = '/graphql';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 12;
export const DEFAULT_MAX_COMPLEXITY = 20_000;

export interface ServerOptions<App extends object> {
  /** The executable schema (type-graphql's `buildSchema`). */
  schema: GraphQLSchema;
  /** The application's part of each operation's context. */
  context: ContextFactory<App>;
  authenticator: ApiKeyAuthenticator;
  /** Use `createLogger()`: it redacts credentials. */
  logger: Logger;
  metrics: OrgcloneMetrics;
  /** Whether the process can serve fresh reads (projections caught up); answers `/readyz`. */
  readiness: () => boolean | Promise<boolean>;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Largest accepted request body and WebSocket message; default 1 MiB. */
  maxBodyBytes?: number;
  /** Deepest field nesting an operation may have (a top-level field is 1); default 12. */
  maxDepth?: number;
  /** Highest operation complexity (fields × page sizes); default 20,000. */
  maxComplexity?: number;
  /** How long `stop()` lets in-flight HTTP requests finish before closing their sockets; default 10 s. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  /** `http://host:port/graphql` */
  url: string;
  /** `ws://host:port/graphql` */
  wsUrl: string;
  httpServer: HttpServer;
  /** Refuses readiness, closes WebSocket clients, lets HTTP requests finish, closes the server. */
  stop(): Promise<void>;
}

/** What one HTTP request's log line and metrics say, filled in as the request goes. */
interface RequestRecord {
  requestId: string;
  administratorId?: string;
  operationName?: string;
  operationType?: OperationType;
  errorCodes: Set<string>;
}

const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

export async function createServer<App extends object>(options: ServerOptions<App>): Promise<RunningServer> {
  const { schema, authenticator, logger, metrics } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxComplexity = options.maxComplexity ?? DEFAULT_MAX_COMPLEXITY;
  const validationRules = [maxDepthRule(options.maxDepth ?? DEFAULT_MAX_DEPTH)];
  const inFlight = new Map<string, RequestRecord>();
  let stopping: Promise<void> | undefined;

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer(app);

  const apollo = new ApolloServer<GraphQLContext<App>>({
    schema,
    validationRules,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    introspection: true,
    // Credentials travel only in the Authorization header, which a cross-site page cannot attach
    // without a CORS preflight we never answer: there is no ambient credential to forge with.
    csrfPrevention: false,
    stopOnTerminationSignals: false,
    logger: logger.child({ component: 'apollo' }),
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: options.shutdownGraceMs ?? 10_000,
      }),
      ApolloServerPluginLandingPageDisabled(),
      // No field has a cache hint, so every answer was `no-store` anyway (now set below); the
      // implicit cache-control plugin wrapped every field's resolver to find that out.
      ApolloServerPluginCacheControlDisabled(),
      requestPlugin(inFlight, maxComplexity),
    ],
  });
  await apollo.start();

  app.use(recordRequests(logger, metrics, inFlight));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    let ready = false;
    try {
      ready = stopping === undefined && (await options.readiness());
    } catch (error) {
      logger.error({ err: error }, 'readiness check failed');
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.all(
    GRAPHQL_PATH,
    noStore,
    express.json({ limit: maxBodyBytes }),
    rejectBatches,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const record = recordOf(res);
        const log = logger.child({ requestId: record.requestId });
        let outcome: AuthenticationOutcome;
        try {
          outcome = await authenticateAuthorization(req.headers.authorization, authenticator);
        } catch (error) {
          log.error({ err: error }, 'authentication failed');
          throw contextFailure(error, record);
        }
        if (!outcome.authenticated) {
          throw contextFailure(new UnauthenticatedError(AUTHENTICATION_MESSAGES[outcome.reason]), record);
        }
        record.administratorId = outcome.principal.administratorId;
        try {
          return await createGraphQLContext(
            { requestId: record.requestId, principal: outcome.principal, logger: log, transport: 'http' },
            options.context,
          );
        } catch (error) {
          log.error({ err: error }, 'context creation failed');
          throw contextFailure(error, record);
        }
      },
    }),
  );
  app.use(errorResponses(maxBodyBytes, logger));

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  // Attached once listening: a WebSocketServer re-emits the HTTP server's errors, listen failures included.
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, maxPayload: maxBodyBytes });
  const webSockets = serveGraphQLOverWebSocket(wsServer, {
    schema,
    context: options.context,
    authenticator,
    logger,
    validationRules,
    maxComplexity,
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ host: address.address, port: address.port }, 'server listening');

  return {
    url: `http://${host}:${address.port}${GRAPHQL_PATH}`,
    wsUrl: `ws://${host}:${address.port}${GRAPHQL_PATH}`,
    httpServer,
    stop() {
      stopping ??= (async () => {
        logger.info('server stopping');
        // WebSocket clients first: their sockets count as open connections of the HTTP server.
        await webSockets.dispose();
        await apollo.stop();
        logger.info('server stopped');
      })();
      return stopping;
    },
  };
}

/** Assigns the request id, then writes one log line and the duration metric when the response ends. */
function recordRequests(
  logger: Logger,
  metrics: OrgcloneMetrics,
  inFlight: Map<string, RequestRecord>,
): RequestHandler {
  return (req, res, next) => {
    const offered = req.get('x-request-id');
    const requestId = offered && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    const record: RequestRecord = { requestId, errorCodes: new Set() };
    const startedAt = performance.now();
    res.locals.request = record;
    inFlight.set(requestId, record);
    res.setHeader('x-request-id', requestId);
    res.once('close', () => {
      inFlight.delete(requestId);
      const seconds = (performance.now() - startedAt) / 1000;
      const isGraphQL = req.path === GRAPHQL_PATH;
      if (isGraphQL) {
        metrics.graphqlRequestDuration.observe(
          { operation_type: record.operationType ?? 'unknown' },
          seconds,
        );
      }
      const line = {
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000),
        ...(res.writableFinished ? {} : { aborted: true }),
        ...(record.administratorId ? { administratorId: record.administratorId } : {}),
        ...(record.operationName ? { operationName: record.operationName } : {}),
        ...(record.operationType ? { operationType: record.operationType } : {}),
        ...(record.errorCodes.size > 0 ? { errorCodes: [...record.errorCodes] } : {}),
      };
      if (PROBE_PATHS.has(req.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

function recordOf(res: Response): RequestRecord {
  return res.locals.request as RequestRecord;
}

/** Operation name and type for the log line, the complexity limit, and logging of internal errors. */
function requestPlugin<App extends object>(
  inFlight: Map<string, RequestRecord>,
  maxComplexity: number,
): ApolloServerPlugin<GraphQLContext<App>> {
  return {
    async requestDidStart({ contextValue }) {
      const record = inFlight.get(contextValue.requestId);
      // Set once Apollo has read a query string out of a well-formed request.
      let wellFormed = false;
      return {
        async didResolveSource() {
          wellFormed = true;
        },
        async didResolveOperation({ request, document, operation, schema }) {
          if (record && operation) {
            record.operationType = operation.operation;
            if (operation.name) record.operationName = operation.name.value;
          }
          // Apollo would run a subscription's field as a query, without the event its resolver maps.
          const error =
            operation?.operation === 'subscription'
              ? requestError(
                  'subscriptions are served over WebSocket (graphql-ws) on this path',
                  'BAD_REQUEST',
                )
              : complexityError(
                  {
                    schema,
                    document,
                    operationName: request.operationName ?? null,
                    variables: request.variables ?? null,
                  },
                  maxComplexity,
                );
          if (error) {
            throw new GraphQLError(error.message, {
              extensions: { ...error.extensions, http: { status: 400 } },
            });
          }
        },
        async willSendResponse({ request, response }) {
          // GraphQL over HTTP: a client that only accepts the legacy `application/json` gets 200 for
          // every well-formed request, its errors in the body (it may not read a 4xx body at all).
          const accept = request.http?.headers.get('accept') ?? '';
          const legacyClient = !accept.includes('application/graphql-response+json');
          if (wellFormed && legacyClient && response.http.status === 400) {
            response.http.status = 200;
          }
        },
        async didEncounterErrors({ errors, contextValue: context }) {
          for (const error of errors) {
            const mapped = mapError(error);
            record?.errorCodes.add(mapped.extensions.code);
            if (mapped.internal)
              context.logger.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
          }
        },
      };
    },
  };
}

/** A context that cannot be built fails the whole request, with the status its code calls for. */
function contextFailure(error: unknown, record: RequestRecord): GraphQLError {
  const mapped = mapError(error);
  record.errorCodes.add(mapped.extensions.code);
  const headers = new HeaderMap();
  if (mapped.extensions.code === 'UNAUTHENTICATED') headers.set('www-authenticate', 'Bearer');
  return new GraphQLError(mapped.message, {
    ...(error instanceof Error ? { originalError: error } : {}),
    extensions: { ...mapped.extensions, http: { status: httpStatusOf(mapped.extensions.code), headers } },
  });
}

/** Answers carry one administrator's data: no cache along the way may keep them. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

/** GraphQL over HTTP carries one operation per request; Apollo's batching is off and says so tersely. */
const rejectBatches: RequestHandler = (req, res, next) => {
  if (!Array.isArray(req.body)) {
    next();
    return;
  }
  recordOf(res).errorCodes.add('BAD_REQUEST');
  sendErrors(req, res, 400, [
    {
      message:
        'batched operations are not supported: send one operation per request (a JSON object, not an array)',
      extensions: { code: 'BAD_REQUEST' },
    },
  ]);
};

/** Body parser failures (too large, malformed JSON, unsupported charset) and bugs as GraphQL error responses. */
function errorResponses(maxBodyBytes: number, logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const record = recordOf(res);
    const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
    let response: { status: number; message: string; code: string };
    if (type === 'entity.too.large') {
      response = {
        status: 413,
        message: `the request body exceeds ${maxBodyBytes} bytes`,
        code: 'BAD_REQUEST',
      };
    } else if (type === 'entity.parse.failed') {
      response = { status: 400, message: 'the request body is not valid JSON', code: 'BAD_REQUEST' };
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser's own client errors (charset, encoding, aborted upload); its message names the problem.
      response = {
        status,
        message: error instanceof Error ? error.message : 'bad request',
        code: 'BAD_REQUEST',
      };
    } else {
      // Only here is the error logged: body-parser's errors (handled above) carry the request body.
      logger.error({ requestId: record.requestId, err: error }, 'request failed');
      response = { status: 500, message: INTERNAL_ERROR_MESSAGE, code: 'INTERNAL_SERVER_ERROR' };
    }
    record.errorCodes.add(response.code);
    sendErrors(req, res, response.status, [
      { message: response.message, extensions: { code: response.code } },
    ]);
  };
}

function sendErrors(req: Request, res: Response, status: number, errors: GraphQLFormattedError[]): void {
  const type = req.accepts([GRAPHQL_RESPONSE_JSON, 'application/json']) || 'application/json';
  res.status(status).type(type).send(JSON.stringify({ errors }));
}
