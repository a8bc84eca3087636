/**
 * Field decorators of input types that always come together: the GraphQL field (with its
 * description) and the class-validator bounds that keep it from growing unbounded. Every input
 * field goes through one of these, so no string or list is left without a ceiling.
 */
import 'reflect-metadata';
import { ArrayMaxSize, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, type ClassType } from 'type-graphql';
import { MAX_ID_LENGTH, MAX_REFERENCES } from './input-bounds.js';

interface FieldOptions {
  /** The field may be left out (or null): "no change" in an update, the default in a create. */
  optional?: boolean;
}

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };
}

function field(
  type: () => ClassType | ClassType[] | object,
  description: string,
  options: FieldOptions,
): PropertyDecorator {
  return Field(type, { description, nullable: options.optional ?? false }) as PropertyDecorator;
}

/** An id of an existing item (or of the organization). */
export function IdField(description: string, options: FieldOptions = {}): PropertyDecorator {
  return compose(
    field(() => ID, description, options),
    MaxLength(MAX_ID_LENGTH),
  );
}

/** A list of ids: references to other items. */
export function IdListField(description: string, options: FieldOptions = {}): PropertyDecorator {
  return compose(
    field(() => [ID], description, options),
    ArrayMaxSize(MAX_REFERENCES),
    MaxLength(MAX_ID_LENGTH, { each: true }),
  );
}

export function StringField(
  description: string,
  maxLength: number,
  options: FieldOptions = {},
): PropertyDecorator {
  return compose(
    field(() => String, description, options),
    MaxLength(maxLength),
  );
}

export function StringListField(
  description: string,
  limits: { maxItems: number; maxLength: number },
  options: FieldOptions = {},
): PropertyDecorator {
  return compose(
    field(() => [String], description, options),
    ArrayMaxSize(limits.maxItems),
    MaxLength(limits.maxLength, { each: true }),
  );
}

/** An input object (validated in depth). */
export function NestedField(
  type: () => ClassType,
  description: string,
  options: FieldOptions = {},
): PropertyDecorator {
  return compose(field(type, description, options), ValidateNested());
}

/** A list of input objects (each validated in depth). */
export function NestedListField(
  type: () => ClassType,
  description: string,
  maxItems: number,
  options: FieldOptions = {},
): PropertyDecorator {
  return compose(
    field(() => [type()], description, options),
    ArrayMaxSize(maxItems),
    ValidateNested({ each: true }),
  );
}
