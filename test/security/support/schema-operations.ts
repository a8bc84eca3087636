/**
 * Operations generated from the schema itself (not from a hand-written list), so that a field added
 * to `Query`, `Mutation` or `Subscription` is swept by the security campaign without anyone
 * remembering to add it: documents with a variable per argument given, and a selection of every
 * field a client can ask for without arguments, a few levels deep.
 */
import {
  getNamedType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export type RootKind = 'query' | 'mutation' | 'subscription';

export function rootType(schema: GraphQLSchema, kind: RootKind): GraphQLObjectType {
  const root =
    kind === 'query'
      ? schema.getQueryType()
      : kind === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) throw new Error(`the schema has no ${kind} type`);
  return root;
}

/** Every field of the root type, by name. */
export function rootFields(
  schema: GraphQLSchema,
  kind: RootKind,
): ReadonlyMap<string, GraphQLField<unknown, unknown>> {
  return new Map(Object.entries(rootType(schema, kind).getFields()));
}

/**
 * The fields of `type` a client may select without giving an argument (arguments with defaults
 * count as optional), `levels` object levels deep. Leaves are always taken; objects only while
 * levels remain.
 */
export function selectionOf(type: GraphQLNamedType, levels: number): string {
  if (isLeafType(type)) return '';
  if (!isObjectType(type)) throw new Error(`no selection for ${type.name}`);
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const needsArgument = field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
    if (needsArgument) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
    } else if (levels > 1) {
      parts.push(`${field.name} { ${selectionOf(named, levels - 1)} }`);
    }
  }
  return parts.join(' ');
}

/**
 * `kind Op($a: T, …) { field(a: $a, …) { selection } }` with a variable for each argument in
 * `argumentNames` (the others are left out, so their defaults apply).
 */
export function operationDocument(
  kind: RootKind,
  field: GraphQLField<unknown, unknown>,
  argumentNames: readonly string[],
  levels: number,
): string {
  const args = field.args.filter((arg) => argumentNames.includes(arg.name));
  const unknown = argumentNames.filter((name) => !field.args.some((arg) => arg.name === name));
  if (unknown.length > 0) throw new Error(`${field.name} has no argument ${unknown.join(', ')}`);
  const declarations = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = selectionOf(getNamedType(field.type), levels);
  return `${kind} Op${declarations ? `(${declarations})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${
    selection ? ` { ${selection} }` : ''
  } }`;
}

/** One place a value can go in an operation's variables: an argument, or a field of an input object, or a list entry. */
export interface InputSlot {
  /** Path into the variables object: argument name, then field names and list indexes. */
  path: readonly (string | number)[];
  /** The GraphQL type at that place. */
  type: GraphQLInputType;
  /** `Type.field` of the input object field (or `Root.field.argument` for an argument). */
  owner: string;
}

/**
 * Every slot of the field's arguments, following input objects (also those the valid variables
 * leave out) and the entries of lists the valid variables hold, at most `maxDepth` input objects
 * deep (input types may be recursive).
 */
export function inputSlots(
  rootName: string,
  field: GraphQLField<unknown, unknown>,
  validVariables: Record<string, unknown>,
  maxDepth = 6,
): InputSlot[] {
  const slots: InputSlot[] = [];
  const visit = (
    type: GraphQLInputType,
    path: (string | number)[],
    owner: string,
    value: unknown,
    depth: number,
  ) => {
    slots.push({ path, type, owner });
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      const entries = Array.isArray(value) ? value : [];
      entries.forEach((entry, index) =>
        visit(inner.ofType as GraphQLInputType, [...path, index], owner, entry, depth),
      );
      if (entries.length === 0)
        visit(inner.ofType as GraphQLInputType, [...path, 0], owner, undefined, depth);
      return;
    }
    if (isInputObjectType(inner) && depth < maxDepth) {
      const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      for (const child of Object.values(inner.getFields())) {
        visit(
          child.type,
          [...path, child.name],
          `${inner.name}.${child.name}`,
          record[child.name],
          depth + 1,
        );
      }
    }
  };
  for (const arg of field.args) {
    visit(arg.type, [arg.name], `${rootName}.${field.name}.${arg.name}`, validVariables[arg.name], 0);
  }
  return slots;
}

/** A deep copy of `variables` with `value` at `path` (creating the objects and lists on the way). */
export function withValueAt(
  variables: Record<string, unknown>,
  path: readonly (string | number)[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(variables);
  let node: Record<string | number, unknown> = copy;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = path[index + 1];
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof next === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
  return copy;
}
