import { type ValidatorOptions, validate } from 'class-validator';
import { getMetadataStorage } from 'type-graphql';
import { NotPlannable } from './selection.js';

// biome-ignore lint/suspicious/noExplicitAny: argument and input classes of every shape.
type Class = new () => any;

/**
 * What type-graphql hands a resolver for `@Args(() => ArgsClass)`: the coerced arguments as instances of
 * the argument and input classes (its metadata says which field holds which class), validated by
 * class-validator with the schema's settings. A read plan calls the same services as the resolvers and
 * must accept exactly what they accept: invalid arguments are not planned (the resolver then answers with
 * its own error).
 */
export async function validatedArgs<T>(
  ArgsClass: new () => T,
  args: Record<string, unknown>,
  options: ValidatorOptions,
): Promise<T> {
  const instance = toArgsInstance(ArgsClass as Class, args);
  // A dashboard sends the same arguments again and again; validators are pure functions of the values,
  // and the coerced values of one class serialise alike exactly when they are alike.
  const key = JSON.stringify(args);
  let valid = validArguments.get(options)?.get(ArgsClass);
  if (valid?.has(key)) return instance as T;
  // As type-graphql's validateArg: missing properties skipped, unknown values allowed unless asked.
  const errors = await validate(instance, {
    ...options,
    skipMissingProperties: options.skipMissingProperties ?? true,
    forbidUnknownValues: options.forbidUnknownValues === true,
  });
  if (errors.length > 0) throw new NotPlannable('invalid arguments');
  if (!valid) {
    const ofOptions = validArguments.get(options) ?? new Map<unknown, Set<string>>();
    validArguments.set(options, ofOptions);
    valid = new Set();
    ofOptions.set(ArgsClass, valid);
  }
  if (valid.size >= VALID_ARGUMENTS_PER_CLASS) valid.clear();
  valid.add(key);
  return instance as T;
}

/** Argument values that passed validation, by validator settings and class (bounded: dropped whole). */
const VALID_ARGUMENTS_PER_CLASS = 1_000;
const validArguments = new WeakMap<ValidatorOptions, Map<unknown, Set<string>>>();

interface FieldMeta {
  name: string;
  getType(): unknown;
}

/** The metadata is complete once the schema is built; looked up once per class. */
const fieldsCache = {
  argumentTypes: new WeakMap<Class, FieldMeta[]>(),
  inputTypes: new WeakMap<Class, FieldMeta[]>(),
};
const inputClasses = new WeakMap<object, boolean>();

function fieldsOf(kind: 'argumentTypes' | 'inputTypes', target: Class): FieldMeta[] {
  let fields = fieldsCache[kind].get(target);
  if (!fields) {
    fields = collectFields(kind, target);
    fieldsCache[kind].set(target, fields);
  }
  return fields;
}

function collectFields(kind: 'argumentTypes' | 'inputTypes', target: Class): FieldMeta[] {
  const storage = getMetadataStorage();
  const list = storage[kind] as unknown as { target: unknown; fields?: FieldMeta[] }[];
  let fields: FieldMeta[] = [];
  // Own fields first, then inherited ones not redeclared (as type-graphql merges them).
  for (let c: unknown = target; c && (c as Class).prototype !== undefined; c = Object.getPrototypeOf(c)) {
    const meta = list.find((t) => t.target === c);
    const own = meta?.fields ?? [];
    const names = new Set(fields.map((f) => f.name));
    fields = [...fields, ...own.filter((f) => !names.has(f.name))];
  }
  return fields;
}

function isInputClass(target: unknown): target is Class {
  if (typeof target !== 'function') return false;
  let known = inputClasses.get(target);
  if (known === undefined) {
    known = (getMetadataStorage().inputTypes as unknown as { target: unknown }[]).some(
      (t) => t.target === target,
    );
    inputClasses.set(target, known);
  }
  return known;
}

function toArgsInstance(ArgsClass: Class, args: Record<string, unknown>): object {
  const values: Record<string, unknown> = {};
  for (const field of fieldsOf('argumentTypes', ArgsClass)) {
    const value = args[field.name];
    if (value !== undefined) values[field.name] = toValue(field.getType(), value);
  }
  return instanceOf(ArgsClass, values);
}

function toValue(target: unknown, value: unknown): unknown {
  if (value == null) return value;
  if (Array.isArray(value)) return value.map((item) => toValue(target, item));
  if (!isInputClass(target) || typeof value !== 'object') return value;
  const values: Record<string, unknown> = {};
  for (const field of fieldsOf('inputTypes', target)) {
    const v = (value as Record<string, unknown>)[field.name];
    if (v !== undefined) values[field.name] = toValue(field.getType(), v);
  }
  return instanceOf(target, values);
}

/** type-graphql's convertToType: a new instance without the defaults of properties the data lacks. */
function instanceOf(Target: Class, data: Record<string, unknown>): object {
  const instance = new Target() as Record<string, unknown>;
  for (const key of Object.keys(instance)) {
    if (instance[key] === undefined && !(key in data)) delete instance[key];
  }
  return Object.assign(instance, data);
}
