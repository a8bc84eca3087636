/**
 * Relay-style pagination for every list that can be long: `PageArgs` (`first`, `after`) on the
 * field, a `…Connection` type from `ConnectionType(Node)`, `readPage` to check the arguments and
 * decode the cursor, `connectionOf` to build the answer.
 *
 *   @ObjectType() class OrganizationConnection extends ConnectionType(Organization) {}
 *
 *   @Query(() => OrganizationConnection)
 *   organizations(@Args(() => PageArgs) args: PageArgs) {
 *     const page = readPage(args, 'organizations');
 *     const rows = readModel.list({ after: page.afterKey, limit: page.limit + 1 });
 *     return connectionOf(rows, page, 'organizations', (org) => org.id);
 *   }
 *
 * The server's complexity limit counts a field with a `first` argument as `first` times its
 * selection, so a page size is also paid for before the resolver runs.
 */
import 'reflect-metadata';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from '../server/api-errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return, 1 to ${MAX_PAGE_SIZE}.`,
  })
  first!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Return the items after this cursor: the `pageInfo.endCursor` of the previous page.',
  })
  after?: string | null;
}

@ObjectType({ description: 'Where a page sits in its list.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether the list continues after this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description:
      'Whether the list continues before this page; true whenever the page was asked `after` a cursor.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first item of the page; null when empty.',
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Cursor of the last item of the page: pass it as `after` for the next page; null when empty.',
  })
  endCursor!: string | null;
}

export interface Edge<Node> {
  cursor: string;
  node: Node;
}

export interface Connection<Node> {
  edges: Edge<Node>[];
  pageInfo: PageInfo;
}

/**
 * The base class of a `…Connection` object type and its `…Edge` type, named after the node type
 * (or `name`): extend it with `@ObjectType()`.
 */
export function ConnectionType<Node extends object>(
  nodeType: ClassType<Node>,
  name: string = nodeType.name,
): abstract new () => Connection<Node> {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class EdgeType implements Edge<Node> {
    @Field(() => String, {
      description: 'Opaque position of the item: pass it as `after` to continue after it.',
    })
    cursor!: string;

    @Field(() => nodeType, { description: 'The item.' })
    node!: Node;
  }

  // Not emitted itself: type-graphql only emits the types the schema references (the subclass).
  @ObjectType()
  abstract class ConnectionBase implements Connection<Node> {
    @Field(() => [EdgeType], { description: 'The items of the page, in list order.' })
    edges!: Edge<Node>[];

    @Field(() => PageInfo, { description: 'Where the page sits in the list.' })
    pageInfo!: PageInfo;
  }
  return ConnectionBase;
}

/** A page request, checked: `afterKey` is the key the cursor was made from. */
export interface Page {
  limit: number;
  afterKey: string | null;
}

export function readPage(args: PageArgs, list: string): Page {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
    throw new BadUserInputError('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return {
    limit: args.first,
    afterKey: args.after === undefined || args.after === null ? null : decodeCursor(list, args.after),
  };
}

/**
 * From rows fetched with `limit + 1` (the extra row only tells that there is a next page).
 * `keyOf` gives the key a later `after` resumes from; `list` must match what `readPage` was given.
 */
export function connectionOf<Node>(
  rows: readonly Node[],
  page: Page,
  list: string,
  keyOf: (node: Node) => string,
): Connection<Node> {
  const edges = rows.slice(0, page.limit).map((node) => ({ node, cursor: encodeCursor(list, keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.afterKey !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Opaque to clients; names its list so that a cursor of one list is refused by another. */
export function encodeCursor(list: string, key: string): string {
  return Buffer.from(JSON.stringify([list, key]), 'utf8').toString('base64url');
}

/** The key inside a cursor of `list`; anything else is the caller's mistake. */
export function decodeCursor(list: string, cursor: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadUserInputError('after', 'not a cursor returned by this API');
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || !decoded.every((part) => typeof part === 'string')) {
    throw new BadUserInputError('after', 'not a cursor returned by this API');
  }
  const [cursorList, key] = decoded as [string, string];
  if (cursorList !== list)
    throw new BadUserInputError('after', `the cursor belongs to another list, not ${list}`);
  return key;
}

/** The same page with each node mapped (read-model rows to their GraphQL shape). */
export function mapConnection<From, To>(
  connection: Connection<From>,
  map: (node: From) => To,
): Connection<To> {
  return {
    edges: connection.edges.map(({ cursor, node }) => ({ cursor, node: map(node) })),
    pageInfo: connection.pageInfo,
  };
}
