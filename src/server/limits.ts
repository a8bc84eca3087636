/**
 * Guards that refuse an operation before it runs: how deep it nests and how much work it asks for.
 */
import { createRequire } from 'node:module';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { requestError } from './errors.js';

/**
 * graphql-query-complexity's ESM build imports `graphql/index.mjs` while every other package (and
 * Node itself) loads graphql's CommonJS build: two realms, and graphql refuses schemas from the
 * other one. Its CommonJS build shares our realm.
 */
const { getComplexity, fieldExtensionsEstimator, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof import('graphql-query-complexity');

/**
 * Rejects operations whose fields nest deeper than `maxDepth` (a top-level field is depth 1).
 * Introspection fields (`__schema`, `__type`) are not counted: tools send deep introspection
 * queries whose cost is bounded by the schema, not by data.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentDepths = new Map<string, number>();

    function fragmentDepth(fragment: FragmentDefinitionNode, visiting: Set<string>): number {
      const name = fragment.name.value;
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      // A fragment cycle is reported by NoFragmentCyclesRule; here it just adds nothing.
      if (visiting.has(name)) return 0;
      visiting.add(name);
      const depth = selectionDepth(fragment.selectionSet, visiting);
      visiting.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    }

    function selectionDepth(selectionSet: SelectionSetNode | undefined, visiting: Set<string>): number {
      let deepest = 0;
      for (const selection of selectionSet?.selections ?? []) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          depth = 1 + selectionDepth(selection.selectionSet, visiting);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = selectionDepth(selection.selectionSet, visiting);
        } else {
          const fragment = context.getFragment(selection.name.value);
          depth = fragment ? fragmentDepth(fragment, visiting) : 0;
        }
        deepest = Math.max(deepest, depth);
      }
      return deepest;
    }

    return {
      OperationDefinition(operation) {
        const depth = selectionDepth(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          const name = operation.name ? `operation ${operation.name.value}` : 'the operation';
          context.reportError(
            new GraphQLError(`${name} nests ${depth} levels deep; the maximum is ${maxDepth}`, {
              nodes: [operation],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
        }
      },
    };
  };
}

/**
 * A field with a `first` argument returns up to `first` items, each costing its selection:
 * `1 + first × child complexity`. Runs after `first`'s schema default is applied.
 */
const paginatedFieldEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first: unknown = args.first;
  if (typeof first === 'number' && Number.isInteger(first) && first > 0) return 1 + first * childComplexity;
  return undefined;
};

/**
 * Field cost: `complexity` set on the field (type-graphql's `@Field({ complexity })`), else the
 * page size rule above, else 1 per field.
 */
const ESTIMATORS: ComplexityEstimator[] = [
  fieldExtensionsEstimator(),
  paginatedFieldEstimator,
  simpleEstimator({ defaultComplexity: 1 }),
];

export interface ComplexityRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * Computes the operation's complexity with the request's variables and returns the error that
 * refuses it, or null.
 */
export function complexityError(request: ComplexityRequest, maxComplexity: number): GraphQLError | null {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema: request.schema,
      query: request.document,
      estimators: ESTIMATORS,
      ...(request.operationName ? { operationName: request.operationName } : {}),
      variables: request.variables ?? {},
    });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // Either a variable that does not coerce, or a document with more nodes than the library walks.
    const variableError = error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION;
    return requestError(
      error.message,
      variableError ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED',
      error.nodes,
    );
  }
  if (complexity <= maxComplexity) return null;
  return requestError(
    `the operation's complexity is ${complexity}; the maximum is ${maxComplexity} (ask for fewer fields or smaller pages)`,
    'GRAPHQL_VALIDATION_FAILED',
  );
}
