/**
 * A tiny schema that exercises the server (principal, every error kind, pagination, depth, a gated
 * slow field, subscriptions) and a helper that starts the real server on it with captured logs.
 */
import 'reflect-metadata';
import { Length } from 'class-validator';
import {
  Arg,
  Args,
  buildSchema,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { Writable } from 'node:stream';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PaymentRequiredError,
  UnauthenticatedError,
  ValidationError,
} from '../../../src/domain/errors.js';
import { WrongExpectedVersionError } from '../../../src/eventstore/errors.js';
import { generateApiKey } from '../../../src/security/api-keys.js';
import { ConnectionType, connectionOf, PageArgs, readPage } from '../../../src/schema/pagination.js';
import { BigIntString } from '../../../src/schema/scalars.js';
import { BadUserInputError } from '../../../src/server/api-errors.js';
import {
  createApiKeyAuthenticator,
  type ApiKeyLookup,
  type Principal,
  type StoredApiKey,
} from '../../../src/server/auth.js';
import type { GraphQLContext } from '../../../src/server/context.js';
import { createLogger } from '../../../src/server/logger.js';
import { createMetrics, type OrgcloneMetrics } from '../../../src/server/metrics.js';
import { createServer, type RunningServer, type ServerOptions } from '../../../src/server/server.js';

/** Planted in an internal error's message: must never reach a client. */
export const INTERNAL_DETAIL = 'sqlite: disk I/O error at /var/lib/orgclone/events.sqlite';

export const ERROR_KINDS = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'CONFLICT',
  'PAYMENT_REQUIRED',
  'EVENT_STORE',
  'UNEXPECTED',
] as const;
type ErrorKind = (typeof ERROR_KINDS)[number];
const ErrorKindEnum = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, kind]));
registerEnumType(ErrorKindEnum, { name: 'ErrorKind' });

function errorOf(kind: ErrorKind): Error {
  switch (kind) {
    case 'UNAUTHENTICATED':
      return new UnauthenticatedError('the administrator is suspended');
    case 'FORBIDDEN':
      return new ForbiddenError('the administrator role does not allow this action');
    case 'NOT_FOUND':
      return new NotFoundError('organization', 'org-404', 'sourceOrganizationId');
    case 'VALIDATION_FAILED':
      return new ValidationError('settings.USER_PORTAL.idleSessionDurationMinutes', 'must be 1..129600');
    case 'BAD_USER_INPUT':
      return new BadUserInputError('after', 'not a cursor returned by this API');
    case 'CONFLICT':
      return new ConflictError('NAME_TAKEN', 'an organization named Acme already exists', 'name');
    case 'PAYMENT_REQUIRED':
      return new PaymentRequiredError('this action needs a paid plan');
    case 'EVENT_STORE':
      return new WrongExpectedVersionError('organization-1', 3n, 4n);
    case 'UNEXPECTED':
      return new Error(INTERNAL_DETAIL);
  }
}

/** What the test application adds to the context. */
export interface TestApp {
  /** Resolves when the test lets slow operations finish. */
  gate: Promise<void>;
  /** Called by a slow operation once it is running. */
  slowStarted: () => void;
}
type TestContext = GraphQLContext<TestApp>;

@ObjectType()
class PrincipalView {
  @Field(() => ID)
  administratorId!: string;

  @Field(() => ID)
  providerId!: string;

  @Field(() => String)
  roleName!: string;

  @Field(() => String)
  transport!: string;

  @Field(() => String)
  requestId!: string;
}

@ObjectType()
class Item {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType()
class ItemConnection extends ConnectionType(Item) {}

@InputType()
class RenameInput {
  @Field(() => String)
  @Length(1, 10)
  name!: string;
}

@ObjectType()
class Tick {
  @Field(() => Int)
  n!: number;
}

/** Counts loader scopes created: a new number means a new scope. */
let loaderScopes = 0;
const scopeProbe = () => ({ scope: ++loaderScopes });

const ITEMS: Item[] = Array.from({ length: 120 }, (_, index) => ({
  id: `item-${String(index).padStart(3, '0')}`,
  name: `Item ${index}`,
}));

@Resolver(() => Item)
class ItemResolver {
  @FieldResolver(() => Item, { description: 'The next item: lets a query nest as deep as it likes.' })
  next(@Root() item: Item): Item {
    const index = ITEMS.indexOf(item);
    return ITEMS[(index + 1) % ITEMS.length]!;
  }
}

@Resolver(() => Tick)
class TickResolver {
  @FieldResolver(() => Int, { description: 'The loader scope this event resolved in.' })
  scope(@Ctx() ctx: TestContext): number {
    return ctx.loaders.get(scopeProbe).scope;
  }

  @FieldResolver(() => Int, { description: 'Same as scope: within one event the scope is shared.' })
  sameScope(@Ctx() ctx: TestContext): number {
    return ctx.loaders.get(scopeProbe).scope;
  }
}

/** Counts subscription sources that the server closed. */
export const subscriptionSources = { closed: 0 };

/** Like an event store subscription: `next()` waits for an event that never comes, `return()` ends it. */
function quietAfterOneTick(): AsyncIterableIterator<Tick> {
  let ticked = false;
  let end: (() => void) | undefined;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  return {
    next: () => {
      if (!ticked) {
        ticked = true;
        return Promise.resolve({ done: false, value: { n: 1 } });
      }
      return new Promise((resolve) => (end = () => resolve(done)));
    },
    return: () => {
      subscriptionSources.closed++;
      end?.();
      return Promise.resolve(done);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

@Resolver()
class TestResolver {
  @Query(() => PrincipalView)
  me(@Ctx() ctx: TestContext): PrincipalView {
    return { ...ctx.principal, transport: ctx.transport, requestId: ctx.requestId };
  }

  @Query(() => Boolean)
  fail(@Arg('kind', () => ErrorKindEnum) kind: ErrorKind): boolean {
    throw errorOf(kind);
  }

  @Query(() => ItemConnection)
  items(@Args(() => PageArgs) args: PageArgs) {
    const page = readPage(args, 'items');
    const start = page.afterKey === null ? 0 : ITEMS.findIndex((item) => item.id === page.afterKey) + 1;
    return connectionOf(ITEMS.slice(start, start + page.limit + 1), page, 'items', (item) => item.id);
  }

  @Query(() => Item)
  firstItem(): Item {
    return ITEMS[0]!;
  }

  @Query(() => String)
  rename(@Arg('input', () => RenameInput) input: RenameInput): string {
    return input.name;
  }

  @Query(() => BigIntString)
  position(@Arg('after', () => BigIntString) after: bigint): bigint {
    return after + 1n;
  }

  @Query(() => Boolean, { description: 'Logs credentials the way a careless resolver might.' })
  logCredentials(@Arg('key', () => String) key: string, @Ctx() ctx: TestContext): boolean {
    ctx.logger.info(
      { authorization: `Bearer ${key}`, input: { apiKey: key, duo: { secretKey: key } } },
      'careless',
    );
    return true;
  }

  @Query(() => String)
  async slow(@Ctx() ctx: TestContext): Promise<string> {
    ctx.slowStarted();
    await ctx.gate;
    return 'done';
  }

  @Subscription(() => Tick, {
    subscribe: async function* ({ args }: { args: { count: number } }) {
      try {
        for (let n = 1; n <= args.count; n++) yield { n };
      } finally {
        subscriptionSources.closed++;
      }
    },
  })
  ticks(@Arg('count', () => Int) _count: number, @Root() tick: Tick): Tick {
    return tick;
  }

  @Subscription(() => Tick, {
    description: 'Emits one tick, then nothing until the server closes it.',
    subscribe: () => quietAfterOneTick(),
  })
  endless(@Root() tick: Tick): Tick {
    return tick;
  }

  @Subscription(() => Tick, {
    subscribe: async function* () {
      yield { n: 1 };
      throw new Error(INTERNAL_DETAIL);
    },
  })
  broken(@Root() tick: Tick): Tick {
    return tick;
  }
}

export async function buildTestSchema() {
  return buildSchema({
    resolvers: [TestResolver, ItemResolver, TickResolver],
    validate: true,
    // type-graphql insists on a PubSub; every subscription here brings its own `subscribe`.
    pubSub: {
      publish: () => {
        throw new Error('the test schema publishes nothing');
      },
      subscribe: () => {
        throw new Error('the test schema has no topics');
      },
    },
  });
}

const PROVIDER = 'provider-1';

function principal(administratorId: string, overrides: Partial<Principal> = {}): Principal {
  return {
    administratorId,
    providerId: PROVIDER,
    roleName: 'Administrator With Billing',
    orgAccess: 'ALL',
    linkedOrganizationIds: [],
    suspended: false,
    ...overrides,
  };
}

/** API keys as the CLI issues them, kept the way the read model will (hash only). */
export function issueTestKeys() {
  const stored = new Map<string, StoredApiKey>();
  const issue = (owner: Principal, revoked = false) => {
    const issued = generateApiKey();
    stored.set(issued.prefix, { keyHash: issued.hash, revoked, principal: owner });
    return issued.key;
  };
  const keys = {
    valid: issue(principal('admin-1')),
    suspended: issue(principal('admin-2', { suspended: true })),
    revoked: issue(principal('admin-3'), true),
    /** Well-formed, never issued. */
    unknown: generateApiKey().key,
  };
  const lookup: ApiKeyLookup = { findByPrefix: async (prefix) => stored.get(prefix) ?? null };
  return { keys, lookup };
}

export interface TestServer {
  server: RunningServer;
  keys: ReturnType<typeof issueTestKeys>['keys'];
  metrics: OrgcloneMetrics;
  setReady(ready: boolean): void;
  openGate(): void;
  /** Resolves once a `slow` query is running. */
  slowStarted: Promise<void>;
  /** Every log line written so far, parsed. */
  logLines(): Record<string, unknown>[];
  logText(): string;
}

export async function startTestServer(
  overrides: Partial<Pick<ServerOptions<TestApp>, 'context' | 'authenticator' | 'port'>> = {},
): Promise<TestServer> {
  const { keys, lookup } = issueTestKeys();
  let logText = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logText += chunk.toString('utf8');
      callback();
    },
  });
  let ready = true;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let markSlowStarted!: () => void;
  const slowStarted = new Promise<void>((resolve) => (markSlowStarted = resolve));
  const metrics = createMetrics();
  const server = await createServer<TestApp>({
    schema: await buildTestSchema(),
    context: () => ({ gate, slowStarted: markSlowStarted }),
    authenticator: createApiKeyAuthenticator(lookup),
    logger: createLogger({ level: 'debug', destination }),
    metrics,
    readiness: () => ready,
    port: 0,
    maxDepth: 6,
    maxComplexity: 3_000,
    ...overrides,
  });
  return {
    server,
    keys,
    metrics,
    setReady: (value) => (ready = value),
    openGate,
    slowStarted,
    logText: () => logText,
    logLines: () =>
      logText
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
