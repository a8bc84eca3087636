/**
 * Hostile input, generated from the schema: fast-check replaces one place of the valid variables of
 * every query and mutation (and of every field argument the operations reach) with something no
 * valid input holds — a value of the wrong type, a string over every bound, control and unicode
 * characters where an id or an enum goes, JSON nested past any limit, an oversized list, an unknown
 * enum value, an id of another kind of item, null where a value is required, an unknown or
 * `__proto__` field. Every call must end in a client error (never INTERNAL_SERVER_ERROR), without
 * stack traces or file paths, without writing anything; and the server must answer `me` after it.
 * Then the request-level guards (depth, complexity, body size, batches, malformed JSON) and the
 * WebSocket protocol (malformed messages, missing or wrong keys).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgcloneSchema } from '../../src/schema/build-schema.js';
import { startApiServer, type ApiServer } from '../api/support/api-server.js';
import { WIFI_TEMPLATE } from '../api/support/seed.js';
import {
  inputSlots,
  operationDocument,
  rootFields,
  selectionOf,
  withValueAt,
  type InputSlot,
} from './support/schema-operations.js';
import {
  administratorTargets,
  completedClone,
  idsOf,
  seedTargets,
  VALID_MUTATION_VARIABLES,
  VALID_QUERY_VARIABLES,
  waitForCloneStatus,
  type Targets,
  type ValidVariables,
} from './support/targets.js';

/** Codes that blame the request: anything else (INTERNAL_SERVER_ERROR, none at all) fails. */
const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
]);

/** A stack frame, or a path into the sources, the dependencies or the file system. */
const INTERNALS = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|\/test\/|file:\/\/|\.[jt]s:\d+/;

/**
 * Characters that never make an id (ids are letters, digits, `_` and `-`) and that break naive
 * handling: C0 controls, DEL, bidi overrides, zero-width and BOM, line and paragraph separators,
 * lone surrogates, astral and combining characters, quotes and shell or template metacharacters.
 * No letter, digit nor `/`: a file path or a stack frame in an answer cannot come from an echo.
 */
const NASTY = [
  '\u0000', '\u0001', '\u0007', '\b', '\u001b', '\u007f', '\u0085', '\u00a0', '\u200b', '\u200d',
  '\u202e', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ud800', '\udfff', '😀', '👩‍👩‍👧', 'é',
  '\u0301', 'ﷺ', '𝕏', '\n', '\r', '\t', ' ', '"', "'", '\\', '<', '>', '&', '%', '$', '{', '}',
  '`', ';', '|', '*', '?', '#', '+', '=', '~', '^', '[', ']', '(', ')', ',', ':', '!', '@', '.',
]; // prettier-ignore

/** Longer than every string bound of the API (script bodies: 100,000). */
const HUGE_STRING = { min: 100_001, max: 120_000 };
/** Longer than every list bound of the API (references: 10,000). */
const HUGE_LIST = 10_001;
/** JSON values are refused past 32 levels, conditions past 8. */
const DEEP_JSON = { min: 33, max: 100_000 };

/** A value written into the request body as it is: JSON too deep for `JSON.stringify`. */
class RawJson {
  constructor(readonly text: string) {}
  toJSON() {
    return RAW_PLACEHOLDER;
  }
  [fc.toStringMethod]() {
    return `RawJson(${this.text.slice(0, 12)}… ${this.text.length} characters)`;
  }
}
const RAW_PLACEHOLDER = `raw-json-${randomUUID()}`;

/** The kind of item an id slot names, by `Type.field` (or `Root.field.argument`), else by field name. */
const ID_SLOT_KINDS: Readonly<Record<string, string>> = {
  organizationId: 'organization',
  sourceOrganizationId: 'organization',
  commandId: 'command',
  policyId: 'policy',
  policyIds: 'policy',
  policyGroupId: 'policyGroup',
  userGroupId: 'userGroup',
  deviceGroupId: 'deviceGroup',
  deviceGroupIds: 'deviceGroup',
  userId: 'user',
  memberUserIds: 'user',
  deviceId: 'device',
  memberDeviceIds: 'device',
  ipListId: 'ipList',
  conditionalAccessPolicyId: 'conditionalAccessPolicy',
  administratorId: 'administrator',
  templateId: 'template',
  configFieldID: 'templateField',
  cloneId: 'clone',
  'Query.organization.id': 'organization',
  'Query.cloneOperation.id': 'clone',
  'MemberQueryExemptionInput.id': 'user',
  'ConditionalAccessUserTargetsInput.inclusions': 'user',
  'ConditionalAccessUserGroupTargetsInput.inclusions': 'userGroup',
  'ConditionalAccessUserGroupTargetsInput.exclusions': 'userGroup',
  // Ids of what lives outside the organization: any well-formed id is a valid one.
  'UserGroupBindingInput.id': 'external',
  'ConditionalAccessResourceInput.id': 'external',
  'AddCommandInput.user': 'external',
  'UpdateCommandInput.user': 'external',
  // Ids the source may not have: a preflight WARNING (SPEC §3), not an error.
  'CloneSelectionInput.deselectedItemIds': 'external',
  'CloneSelectionInput.deselectedAdminIds': 'external',
};

function idSlotKind(slot: InputSlot): string | undefined {
  return ID_SLOT_KINDS[slot.owner] ?? ID_SLOT_KINDS[slot.owner.split('.').at(-1)!];
}

/** The objects whose fields take arguments, and the query (with valid variables) that reaches each. */
const NESTED_ENTRIES: Readonly<
  Record<string, { root: string; fields: Record<string, Record<string, unknown>> }>
> = {
  CloneOperation: {
    root: 'cloneOperation',
    fields: {
      audit: { first: 10, outcome: 'COPIED', category: 'COMMANDS' },
      auditAsOf: { version: '3', first: 10 },
      history: { fromVersion: '1', first: 10 },
    },
  },
  ClonePreview: {
    root: 'clonePreview',
    fields: { items: { first: 10, outcome: 'SKIPPED', category: 'POLICIES' } },
  },
  Organization: { root: 'organization', fields: { users: { first: 10 }, devices: { first: 10 } } },
};

let api: ApiServer;
let schema: GraphQLSchema;
let key: string;
let targets: Targets;
/** Ids of the targets by kind, plus a policy template and one of its fields. */
let idsByKind: Map<string, string[]>;
const clients: Client[] = [];
const tried = { variables: 0, nested: 0, subscription: 0, requests: 0, webSocket: 0 };
const codesSeen = new Map<string, number>();

beforeAll(async () => {
  api = await startApiServer();
  schema = await buildOrgcloneSchema();
  const { id: providerId } = await api.provider('PAID');
  ({ key } = await api.administrator(providerId));
  const administrators = await administratorTargets(api, providerId);
  const organization = await seedTargets(api, key, 'Hostile Targets', administrators);
  targets = {
    ...organization,
    administrators,
    clone: await completedClone(api, key, organization.organizationId),
  };
  idsByKind = new Map();
  for (const [id, kind] of [
    ...idsOf(targets),
    [WIFI_TEMPLATE.id, 'template'],
    [WIFI_TEMPLATE.password, 'templateField'],
  ] as const) {
    idsByKind.set(kind, [...(idsByKind.get(kind) ?? []), id]);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await api?.stop();
  const total = tried.variables + tried.nested + tried.subscription + tried.requests + tried.webSocket;
  console.log(
    `hostile input: ${total} inputs tried (${tried.variables} on operation arguments, ${tried.nested} on nested field arguments, ${tried.subscription} on the subscription, ${tried.requests} malformed requests, ${tried.webSocket} malformed WebSocket sessions); codes ${JSON.stringify(Object.fromEntries(codesSeen))}`,
  );
});

// ---- hostile values --------------------------------------------------------------------------------

const nastyText = (minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...NASTY), { minLength, maxLength }).map((chars) => chars.join(''));

/** Over every bound, made of a repeated nasty pattern (generating 100,000 random characters is slow). */
const hugeText = fc
  .tuple(nastyText(1, 40), fc.integer(HUGE_STRING))
  .map(([pattern, length]) => pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length));

const deepJson = (objects: boolean) =>
  fc
    .integer(DEEP_JSON)
    .map((depth) =>
      objects
        ? new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
        : new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`),
    );

/** An object with an own `__proto__` key, as `JSON.parse` makes it: what prototype pollution sends. */
function protoKey(): object {
  return JSON.parse(
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  ) as object;
}

const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 3 }),
  fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
);

function hostileLeaf(slot: InputSlot): fc.Arbitrary<unknown> {
  const type = getNamedType(slot.type);
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => value.name);
    return fc.oneof(
      nastyText(1, 20),
      fc.constantFrom(...values.map((value) => value.toLowerCase())),
      fc.stringMatching(/^[A-Z][A-Z_]{0,30}$/).filter((name) => !values.includes(name)),
      fc.integer(),
      fc.boolean(),
    );
  }
  switch (type.name) {
    case 'String':
      return fc.oneof(hugeText, notAString);
    case 'ID': {
      const kind = idSlotKind(slot);
      const wrongKind = [...idsByKind.entries()]
        .filter(([other]) => other !== kind)
        .flatMap(([, ids]) => ids);
      return fc.oneof(
        nastyText(1, 40),
        fc.integer({ min: 129, max: 5_000 }).map((length) => 'a'.repeat(length)),
        ...(kind === 'external' ? [] : [fc.constantFrom(...wrongKind)]),
        fc.boolean(),
        fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 3 }),
      );
    }
    case 'Int':
      return fc.oneof(
        fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e21, 1.5, -0.5),
        fc.integer({ min: -(2 ** 31), max: -1 }),
        fc.string({ maxLength: 5 }),
        fc.boolean(),
      );
    case 'Boolean':
      return fc.oneof(
        fc.constantFrom('true', 'false', 1, 0, 'yes'),
        fc.dictionary(fc.string(), fc.boolean()),
      );
    case 'BigIntString':
      return fc.oneof(
        nastyText(1, 20),
        fc.constantFrom('1.5', '1e3', '0x10', ' 1', '', true, 1.5),
        fc.stringMatching(/^[a-z]{1,10}$/),
      );
    case 'JSON':
      return fc.oneof(deepJson(false), deepJson(true), fc.constant(protoKey()));
    case 'JSONObject':
      return fc.oneof(deepJson(true), fc.constant(protoKey()), fc.constantFrom('{}', 1, true, [], [{}]));
    default:
      throw new Error(`no hostile values for scalar ${type.name} (${slot.owner})`);
  }
}

/** Something no valid input holds at this slot. */
function hostileFor(slot: InputSlot, valid: unknown): fc.Arbitrary<unknown> {
  const choices: fc.Arbitrary<unknown>[] = [];
  if (isNonNullType(slot.type)) choices.push(fc.constant(null));
  const type = isNonNullType(slot.type) ? slot.type.ofType : slot.type;
  if (isListType(type)) {
    const entryType = type.ofType as GraphQLInputType;
    const sample = Array.isArray(valid) && valid.length > 0 ? valid[0] : undefined;
    if (sample !== undefined) {
      choices.push(fc.constant(null).map(() => Array.from({ length: HUGE_LIST }, () => sample)));
    }
    if (isNonNullType(entryType)) choices.push(fc.constant([null]));
    choices.push(
      fc.constant([isInputObjectType(getNamedType(entryType)) ? 'not an object' : { not: 'a scalar' }]),
    );
  } else if (isInputObjectType(type)) {
    const record = typeof valid === 'object' && valid !== null ? (valid as Record<string, unknown>) : {};
    choices.push(
      notAString,
      fc.string({ maxLength: 5 }),
      fc.constant({ ...record, notAField: 1 }),
      fc.constant(protoKey()),
    );
  } else {
    choices.push(hostileLeaf(slot));
  }
  return fc.oneof(...choices);
}

function valueAt(variables: Record<string, unknown>, path: readonly (string | number)[]): unknown {
  let node: unknown = variables;
  for (const key of path) node = (node as Record<string | number, unknown> | undefined)?.[key];
  return node;
}

// ---- calls ----------------------------------------------------------------------------------------

interface RawResponse {
  status: number;
  text: string;
  body?: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

async function post(body: string, apiKey = key): Promise<RawResponse> {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${apiKey}`,
    },
    body,
  });
  const text = await response.text();
  let parsed: RawResponse['body'];
  try {
    parsed = JSON.parse(text) as RawResponse['body'];
  } catch {
    parsed = undefined;
  }
  return { status: response.status, text, ...(parsed ? { body: parsed } : {}) };
}

function requestBody(query: string, variables: Record<string, unknown>): string {
  const json = JSON.stringify({ query, variables });
  const raw = findRaw(variables);
  return raw ? json.replace(`"${RAW_PLACEHOLDER}"`, raw.text) : json;
}

function findRaw(value: unknown): RawJson | undefined {
  if (value instanceof RawJson) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const child of Object.values(value)) {
    const found = findRaw(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * Filters of listings: a well-formed value that names nothing (an id of another kind, or of nothing)
 * selects nothing, and the answer is an empty page rather than an error.
 */
const FILTERS = new Set(['CloneOperationFilterInput.sourceOrganizationId']);

function isEmptyPage(response: RawResponse, field: string): boolean {
  const page = response.body?.data?.[field] as { edges?: unknown[] } | null | undefined;
  return response.status === 200 && !response.body?.errors && page?.edges?.length === 0;
}

/** Everything a refused hostile call must satisfy; the reason it does not, or null. */
async function refusedCleanly(
  response: RawResponse,
  field: string,
  slot: InputSlot,
  headBefore: bigint | null,
): Promise<string | null> {
  const codes = (response.body?.errors ?? []).map((error) => String(error.extensions?.code));
  const emptyPage = FILTERS.has(slot.owner) && isEmptyPage(response, field);
  for (const code of emptyPage ? ['an empty page'] : codes)
    codesSeen.set(code, (codesSeen.get(code) ?? 0) + 1);
  const problems: string[] = [];
  if (![200, 400, 413].includes(response.status)) problems.push(`status ${response.status}`);
  if (codes.length === 0 && !emptyPage) problems.push('no error');
  if (codes.some((code) => !CLIENT_ERROR_CODES.has(code))) problems.push(`codes ${codes.join(', ')}`);
  if ((response.body?.data?.[field] ?? null) !== null && !emptyPage) problems.push('data');
  if (INTERNALS.test(response.text)) problems.push('internals in the answer');
  if (/stacktrace|exception/i.test(JSON.stringify(response.body?.errors ?? [])))
    problems.push('a stack trace');
  if ((await api.runtime.store.headPosition()) !== headBefore) problems.push('the log grew');
  if (({} as Record<string, unknown>).polluted !== undefined) problems.push('Object.prototype polluted');
  const me = await post(JSON.stringify({ query: '{ me { administrator { id } } }' }));
  if (me.status !== 200 || me.body?.errors) problems.push(`me failed afterwards: ${me.text}`);
  if (problems.length === 0) return null;
  return `${problems.join('; ')}: ${response.status} ${response.text.slice(0, 600)}`;
}

/** One property per operation: every slot of its variables gets at least one hostile value. */
async function fuzz(
  label: string,
  slots: readonly InputSlot[],
  valid: Record<string, unknown>,
  send: (variables: Record<string, unknown>) => Promise<RawResponse>,
  field: string,
  count: () => void,
  extraRuns: number,
): Promise<void> {
  const arbitraries = slots.map((slot) => hostileFor(slot, valueAt(valid, slot.path)));
  const property = fc.asyncProperty(
    fc.nat(slots.length - 1).chain((index) => fc.tuple(fc.constant(index), arbitraries[index]!)),
    async ([index, value]) => {
      const slot = slots[index]!;
      const variables = withValueAt(valid, slot.path, value);
      const head = await api.runtime.store.headPosition();
      const response = await send(variables);
      count();
      const problem = await refusedCleanly(response, field, slot, head);
      if (problem) throw new Error(`${label} at ${slot.path.join('.')} (${String(slot.type)}): ${problem}`);
    },
  );
  const examples = slots.map((_slot, index): [[number, unknown]] => [
    [index, fc.sample(arbitraries[index]!, 1)[0]],
  ]);
  // Examples count among the runs: one per slot, then `extraRuns` drawn at random.
  await fc.assert(property, { numRuns: slots.length + extraRuns, examples, endOnFailure: true });
}

// ---- the properties ---------------------------------------------------------------------------------

const VALID: Readonly<Record<string, ValidVariables>> = {
  ...VALID_QUERY_VARIABLES,
  ...VALID_MUTATION_VARIABLES,
};

function operationsWithArguments(): { kind: 'query' | 'mutation'; name: string }[] {
  return (['query', 'mutation'] as const).flatMap((kind) =>
    [...rootFields(schema, kind).values()]
      .filter((field) => field.args.length > 0)
      .map((field) => ({ kind, name: field.name })),
  );
}

describe('hostile variables', () => {
  it('knows the kind of every id the schema takes', async () => {
    const unclassified = new Set<string>();
    for (const { kind, name } of operationsWithArguments()) {
      const field = rootFields(schema, kind).get(name)!;
      const root = kind === 'query' ? 'Query' : 'Mutation';
      for (const slot of inputSlots(root, field, VALID[name]!(targets, 'x'))) {
        if (getNamedType(slot.type).name === 'ID' && idSlotKind(slot) === undefined)
          unclassified.add(slot.owner);
      }
    }
    expect([...unclassified]).toEqual([]);
  });

  it('refuses every hostile argument of every query and mutation cleanly, writing nothing', async () => {
    const operations = operationsWithArguments();
    expect(operations.length).toBeGreaterThan(50);
    for (const { kind, name } of operations) {
      const field = rootFields(schema, kind).get(name)!;
      const valid = VALID[name]!(targets, randomUUID().slice(0, 8));
      const slots = inputSlots(kind === 'query' ? 'Query' : 'Mutation', field, valid);
      const document = operationDocument(
        kind,
        field,
        field.args.map((arg) => arg.name),
        2,
      );
      const send = (variables: Record<string, unknown>) => post(requestBody(document, variables));
      if (kind === 'query') await expectAccepted(name, await send(valid));
      await fuzz(name, slots, valid, send, name, () => tried.variables++, 10);
      if (kind === 'mutation') {
        // The variables every hostile value was put into were valid: the refusals were the hostile value's.
        const accepted = await send(valid);
        await expectAccepted(name, accepted);
        if (name === 'cloneOrganization') await waitForClone(accepted);
      }
    }
  }, 240_000);

  it('refuses every hostile argument of the fields the queries reach cleanly', async () => {
    const withArguments = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter(
        (type) => !['Query', 'Mutation', 'Subscription'].includes(type.name) && !type.name.startsWith('__'),
      )
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => field.args.length > 0)
          .map((field) => ({ type, field })),
      );
    const unreached = withArguments.filter(
      ({ type, field }) => !NESTED_ENTRIES[type.name]?.fields[field.name],
    );
    expect(unreached.map(({ type, field }) => `${type.name}.${field.name}`)).toEqual([]);

    for (const { type, field } of withArguments) {
      const entry = NESTED_ENTRIES[type.name]!;
      const root = rootFields(schema, 'query').get(entry.root)!;
      const rootVariables = VALID[entry.root]!(targets, randomUUID().slice(0, 8));
      const valid = { ...rootVariables, ...entry.fields[field.name]! };
      const slots = inputSlots(type.name, field, valid).filter(
        (slot) => !(String(slot.path[0]) in rootVariables),
      );
      const document = nestedDocument(root, rootVariables, field);
      await expectAccepted(`${entry.root}.${field.name}`, await post(requestBody(document, valid)));
      await fuzz(
        `${entry.root}.${field.name}`,
        slots,
        valid,
        (variables) => post(requestBody(document, variables)),
        entry.root,
        () => tried.nested++,
        5,
      );
    }
  }, 120_000);

  it('refuses every hostile clone id of the subscription cleanly', async () => {
    const field = rootFields(schema, 'subscription').get('cloneProgress')!;
    const valid = { cloneId: targets.clone.id };
    const document = operationDocument('subscription', field, ['cloneId'], 2);
    await fuzz(
      'cloneProgress',
      inputSlots('Subscription', field, valid),
      valid,
      async (variables) => {
        const result = await subscribeOnce(document, variables);
        return { status: 200, text: JSON.stringify(result), body: result };
      },
      'cloneProgress',
      () => tried.subscription++,
      15,
    );
  });
});

async function expectAccepted(label: string, response: RawResponse): Promise<void> {
  expect({ label, status: response.status, errors: response.body?.errors }).toEqual({
    label,
    status: 200,
    errors: undefined,
  });
}

async function waitForClone(response: RawResponse): Promise<void> {
  const { id } = response.body!.data!.cloneOrganization as { id: string };
  await waitForCloneStatus(api, key, id, 'COMPLETED');
}

/** `query Op($rootArgs…, $fieldArgs…) { root(…) { field(…) { selection } } }`. */
function nestedDocument(
  root: GraphQLField<unknown, unknown>,
  rootVariables: Record<string, unknown>,
  field: GraphQLField<unknown, unknown>,
): string {
  const rootArgs = root.args.filter((arg) => arg.name in rootVariables);
  const declarations = [...rootArgs, ...field.args]
    .map((arg) => `$${arg.name}: ${String(arg.type)}`)
    .join(', ');
  const pass = (args: readonly { name: string }[]) =>
    args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = selectionOf(getNamedType(field.type), 3);
  return `query Op(${declarations}) { ${root.name}(${pass(rootArgs)}) { ${field.name}(${pass(field.args)}) { ${selection} } } }`;
}

// ---- request-level guards ----------------------------------------------------------------------------

describe('hostile requests', () => {
  const cases: {
    name: string;
    body: () => string;
    status: number;
    code: string | undefined;
    message?: RegExp;
  }[] = [
    {
      // No path of the schema is that deep: the fields are unknown too, but the depth is refused as such.
      name: 'a selection nested past the depth limit (through fragments)',
      body: () =>
        JSON.stringify({
          query: `{ me { administrator { ...F } } } fragment F on Administrator { a { b { c { d { e { f { g { h { i { j { k } } } } } } } } } } }`,
        }),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /nests 13 levels deep/,
    },
    {
      name: 'a document nested 5,000 levels deep',
      body: () => JSON.stringify({ query: `{ me ${'{ administrator '.repeat(5_000)}${'}'.repeat(5_000)} }` }),
      status: 400,
      code: 'GRAPHQL_PARSE_FAILED',
    },
    {
      name: 'page sizes whose product is over the complexity limit',
      body: () =>
        JSON.stringify({
          query:
            '{ organizations(first: 500) { edges { node { users(first: 500) { edges { node { id } } } } } } }',
        }),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: '20,000 aliases of one field',
      body: () =>
        JSON.stringify({
          query: `{ ${Array.from({ length: 20_000 }, (_, index) => `a${index}: policyTemplates { id }`).join(' ')} }`,
        }),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'a fragment that spreads itself',
      body: () => JSON.stringify({ query: '{ me { ...A } } fragment A on Me { ...A }' }),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'a body over 1 MiB',
      body: () => JSON.stringify({ query: `{ me { administrator { id } } } # ${'x'.repeat(1024 * 1024)}` }),
      status: 413,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a batch of operations',
      body: () =>
        JSON.stringify([
          { query: '{ me { administrator { id } } }' },
          { query: '{ policyTemplates { id } }' },
        ]),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'malformed JSON',
      body: () => '{"query": "{ me { administrator { id } } }"',
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      // An extra variable is ignored: the server must just survive parsing it.
      name: 'JSON nested 200,000 levels deep',
      body: () =>
        `{"query":"{ me { administrator { id } } }","variables":{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`,
      status: 200,
      code: undefined,
    },
    {
      name: 'a query that is not a string',
      body: () => JSON.stringify({ query: { me: true } }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'variables that are not an object',
      body: () => JSON.stringify({ query: '{ me { administrator { id } } }', variables: [1, 2] }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'an operation name the document does not have',
      body: () => JSON.stringify({ query: 'query A { me { administrator { id } } }', operationName: 'B' }),
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
    },
    {
      name: 'a subscription over HTTP',
      body: () => JSON.stringify({ query: `subscription { cloneProgress(cloneId: "x") { status } }` }),
      status: 400,
      code: 'BAD_REQUEST',
    },
  ];

  it.each(cases)(
    'answers $name with $status $code, and stays up',
    async ({ body, status, code, message }) => {
      const head = await api.runtime.store.headPosition();
      const response = await post(body());
      tried.requests++;
      const errors = response.body?.errors ?? [];
      expect(
        { status: response.status, code: errors[0]?.extensions?.code },
        response.text.slice(0, 500),
      ).toEqual({
        status,
        code,
      });
      if (message) expect(errors.map((error) => error.message).join('\n')).toMatch(message);
      expect(response.text).not.toMatch(INTERNALS);
      expect(await api.runtime.store.headPosition()).toBe(head);
      const me = await post(JSON.stringify({ query: '{ me { administrator { id } } }' }));
      expect(me.status).toBe(200);
    },
  );
});

// ---- WebSocket ---------------------------------------------------------------------------------------

/** The first result of a subscription (a refusal ends it), then the client is closed. */
async function subscribeOnce(
  query: string,
  variables: Record<string, unknown>,
): Promise<NonNullable<RawResponse['body']>> {
  const client = api.connect(key);
  clients.push(client);
  try {
    return await new Promise((resolve, reject) => {
      const unsubscribe = client.subscribe<Record<string, unknown>>(
        { query, variables: JSON.parse(requestBody(query, variables)).variables as Record<string, unknown> },
        {
          next: (result) => {
            unsubscribe();
            resolve(result as NonNullable<RawResponse['body']>);
          },
          error: (error) => {
            if (Array.isArray(error))
              resolve({ errors: error as NonNullable<RawResponse['body']>['errors'] });
            else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          },
          complete: () => resolve({}),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

interface SocketOutcome {
  messages: string[];
  close: { code: number; reason: string };
}

/** In a session's frames: wait for `connection_ack` before sending the next ones. */
const ACK = Symbol('await connection_ack');

/**
 * Opens a graphql-ws socket, sends the frames (back to back, but after `ACK` only once the server
 * acknowledged), and reports what came back until the server closed it, until the operations named
 * in `finished` all ended (`complete` or `error`), or until `waitMs` passed.
 */
async function rawSession(
  frames: (string | Buffer | typeof ACK)[],
  finished: readonly string[] = [],
  waitMs = 5_000,
): Promise<SocketOutcome> {
  const socket = new WebSocket(api.wsUrl, 'graphql-transport-ws');
  const messages: string[] = [];
  const ended = new Set<string>();
  let acknowledged: () => void = () => {};
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  let allFinished: (close: { code: number; reason: string }) => void = () => {};
  const done = new Promise<{ code: number; reason: string }>((resolve) => (allFinished = resolve));
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    messages.push(text);
    if (text.includes('"connection_ack"')) acknowledged();
    const message = JSON.parse(text) as { id?: string; type: string };
    if (message.id && (message.type === 'complete' || message.type === 'error')) ended.add(message.id);
    if (finished.length > 0 && finished.every((id) => ended.has(id))) {
      allFinished({ code: 0, reason: 'operations finished' });
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: reason.toString('utf8') }),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  for (const frame of frames) {
    if (frame === ACK) {
      await Promise.race([ack, closed]);
      continue;
    }
    if (socket.readyState !== WebSocket.OPEN) break;
    socket.send(frame);
  }
  const timeout = new Promise<{ code: number; reason: string }>((resolve) =>
    setTimeout(() => resolve({ code: -1, reason: 'still open' }), waitMs),
  );
  const close = await Promise.race([closed, done, timeout]);
  if (close.code <= 0) socket.terminate();
  return { messages, close };
}

describe('hostile WebSocket sessions', () => {
  const init = () => JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
  const subscribe = (id: string, query = '{ me { administrator { id } } }') =>
    JSON.stringify({ id, type: 'subscribe', payload: { query } });
  const progress = () => `subscription { cloneProgress(cloneId: "${targets.clone.id}") { status } }`;

  const sessions: { name: string; frames: () => (string | Buffer | typeof ACK)[]; close: number[] }[] = [
    {
      name: 'connection_init without a payload',
      frames: () => [JSON.stringify({ type: 'connection_init' })],
      close: [4401],
    },
    {
      name: 'connection_init without a key',
      frames: () => [JSON.stringify({ type: 'connection_init', payload: {} })],
      close: [4401],
    },
    {
      name: 'connection_init with a wrong key',
      frames: () => [
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer oc_${'a'.repeat(10)}_${'b'.repeat(43)}` },
        }),
      ],
      close: [4403],
    },
    {
      name: 'connection_init with a key that is not a string',
      frames: () => [JSON.stringify({ type: 'connection_init', payload: { authorization: { key } } })],
      close: [4401, 4403],
    },
    {
      name: 'connection_init whose payload is not an object',
      frames: () => [JSON.stringify({ type: 'connection_init', payload: 'Bearer x' })],
      close: [4400],
    },
    { name: 'a message that is not JSON', frames: () => ['{ not json'], close: [4400] },
    { name: 'a message without a type', frames: () => [JSON.stringify({ payload: {} })], close: [4400] },
    {
      name: 'a message of an unknown type',
      frames: () => [init(), ACK, JSON.stringify({ type: 'hack' })],
      close: [4400],
    },
    { name: 'a subscribe before connection_init', frames: () => [subscribe('1')], close: [4401] },
    { name: 'a second connection_init', frames: () => [init(), ACK, init()], close: [4429] },
    {
      name: 'a subscribe without an id',
      frames: () => [
        init(),
        ACK,
        JSON.stringify({ type: 'subscribe', payload: { query: '{ me { administrator { id } } }' } }),
      ],
      close: [4400],
    },
    {
      name: 'a subscribe whose payload is not an object',
      frames: () => [init(), ACK, JSON.stringify({ id: '1', type: 'subscribe', payload: 'x' })],
      close: [4400],
    },
    {
      name: 'a subscribe whose variables are not an object',
      frames: () => [
        init(),
        ACK,
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: '{ me { administrator { id } } }', variables: [1] },
        }),
      ],
      close: [4400],
    },
    {
      name: 'two subscriptions under one id',
      frames: () => [init(), ACK, subscribe('1', progress()), subscribe('1', progress())],
      close: [4409],
    },
    {
      name: 'a binary frame',
      frames: () => [init(), ACK, Buffer.from([0, 159, 146, 150, 255])],
      close: [4400, 1003, 1007],
    },
    {
      name: 'a message over 1 MiB',
      frames: () => [
        init(),
        ACK,
        subscribe('1', `{ me { administrator { id } } } # ${'x'.repeat(1024 * 1024)}`),
      ],
      close: [1009],
    },
  ];

  it.each(sessions)('closes on $name with $close, and stays up', async ({ frames, close }) => {
    const outcome = await rawSession(frames());
    tried.webSocket++;
    expect(close, JSON.stringify(outcome)).toContain(outcome.close.code);
    for (const message of [...outcome.messages, outcome.close.reason]) expect(message).not.toMatch(INTERNALS);
    const check = await rawSession([init(), ACK, subscribe('ok')], ['ok']);
    expect(
      check.messages.some((message) => message.includes('"type":"next"')),
      JSON.stringify(check),
    ).toBe(true);
  });

  it('answers invalid operations with errors on the socket, and keeps serving it', async () => {
    const outcome = await rawSession(
      [
        init(),
        ACK,
        subscribe('parse', '{ not valid'),
        subscribe('validation', '{ nope }'),
        subscribe('input', `subscription { cloneProgress(cloneId: "${'x'.repeat(500)}") { status } }`),
        subscribe(
          'notFound',
          `subscription { cloneProgress(cloneId: "${targets.policies.update}") { status } }`,
        ),
        subscribe(
          'complexity',
          '{ organizations(first: 500) { edges { node { users(first: 500) { edges { node { id } } } } } } }',
        ),
        subscribe('deep', `{ me ${'{ administrator '.repeat(3_000)}${'}'.repeat(3_000)} }`),
        subscribe('after', '{ me { administrator { id } } }'),
      ],
      ['parse', 'validation', 'input', 'notFound', 'complexity', 'deep', 'after'],
    );
    tried.webSocket++;
    const byId = new Map<string, { type: string; payload?: unknown }[]>();
    for (const text of outcome.messages) {
      const message = JSON.parse(text) as { id?: string; type: string; payload?: unknown };
      if (message.id) byId.set(message.id, [...(byId.get(message.id) ?? []), message]);
    }
    for (const id of ['parse', 'validation', 'input', 'notFound', 'complexity', 'deep']) {
      const messages = byId.get(id) ?? [];
      // Refused before it runs: an `error` message; refused by its resolver: a `next` carrying errors.
      const errors = messages.flatMap((message) =>
        message.type === 'error'
          ? (message.payload as { extensions?: { code?: string } }[])
          : ((message.payload as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors ??
            []),
      );
      expect(errors.length, `${id}: ${JSON.stringify(messages)}`).toBeGreaterThan(0);
      for (const error of errors)
        expect(CLIENT_ERROR_CODES, `${id}: ${JSON.stringify(error)}`).toContain(error.extensions?.code);
    }
    expect(
      byId.get('after')?.some((message) => message.type === 'next'),
      JSON.stringify(outcome),
    ).toBe(true);
    for (const message of outcome.messages) expect(message).not.toMatch(INTERNALS);
  });
});

describe('the server log', () => {
  it('records no error for the whole campaign: every refusal blamed the client', () => {
    const log = api.logText();
    expect(log).toContain('"msg":"request"');
    expect(log.split('\n').filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});
