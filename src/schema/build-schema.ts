/**
 * The orgclone GraphQL schema. Resolvers take the application's services from the context (see
 * `src/resolvers/context.ts`: serve with `context: orgcloneContext(services)`), so the schema is
 * built without them and `npm run schema` emits `schema.graphql` without a store.
 */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CloneOperationResolver } from '../resolvers/clone-operation.resolver.js';
import { CloneProgressResolver } from '../resolvers/clone-progress.resolver.js';
import { ClonePreviewResolver, CloneResolver } from '../resolvers/clone.resolver.js';
import { MeResolver } from '../resolvers/me.resolver.js';
import { OrganizationItemsResolver } from '../resolvers/organization-items.resolver.js';
import { OrganizationResolver } from '../resolvers/organization.resolver.js';
import { PolicyResolver, PolicyTemplateResolver } from '../resolvers/policy-template.resolver.js';

const RESOLVERS = [
  MeResolver,
  OrganizationResolver,
  OrganizationItemsResolver,
  PolicyTemplateResolver,
  PolicyResolver,
  CloneResolver,
  ClonePreviewResolver,
  CloneOperationResolver,
  CloneProgressResolver,
] as const;

export function buildOrgcloneSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    // Input classes carry class-validator bounds: a failure is BAD_USER_INPUT naming the field.
    validate: true,
    // type-graphql insists on a PubSub; `cloneProgress` brings its own `subscribe` (a clone's stream).
    pubSub: {
      publish: () => {
        throw new Error('the orgclone schema publishes nothing');
      },
      subscribe: () => {
        throw new Error('the orgclone schema has no topics');
      },
    },
  });
}
