import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOrgcloneSchema } from '../../src/schema/build-schema.js';

/** Root types are listed by name in every client; their fields carry the descriptions. */
const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/** Frontend teams read the schema in their IDE: every type, field, argument and input field says what it is. */
describe('schema descriptions', () => {
  let types: GraphQLNamedType[];

  beforeAll(async () => {
    const schema = await buildOrgcloneSchema();
    types = Object.values(schema.getTypeMap()).filter(
      (type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type),
    );
  });

  it('describes every type but the root operation types', () => {
    const undescribed = types
      .filter((type) => !ROOT_TYPES.includes(type.name) && !type.description?.trim())
      .map((type) => type.name);
    expect(undescribed).toEqual([]);
  });

  it('describes every field, argument and input field', () => {
    const undescribed: string[] = [];
    for (const type of types) {
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) undescribed.push(`${type.name}.${field.name}`);
          for (const arg of field.args) {
            if (!arg.description?.trim()) undescribed.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) undescribed.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('names every enum value in UPPER_CASE', () => {
    const badlyNamed = types
      .filter(isEnumType)
      .flatMap((type) => type.getValues().map((value) => `${type.name}.${value.name}`))
      .filter((name) => !/^[A-Za-z0-9]+\.[A-Z][A-Z0-9_]*$/.test(name));
    expect(badlyNamed).toEqual([]);
  });
});
