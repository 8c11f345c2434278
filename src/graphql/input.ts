import { Field, InputType } from 'type-graphql';
import type { ReturnTypeFunc } from 'type-graphql/build/typings/decorators/types';
import { z } from 'zod';
import { UserErrorsException, type UserErrorData } from './errors';

/**
 * Inputs are declared once: each field's GraphQL type and its validation side by side, in one
 * `x.input.ts` per feature. `inputType` builds the type-graphql @InputType class (the schema's
 * shape) and the zod object (the rules) from the same declaration; a field is nullable in
 * GraphQL exactly when its rule accepts an omitted value.
 */
export interface InputField<Rule extends z.ZodType> {
  type: ReturnTypeFunc;
  rule: Rule;
  description?: string;
}

export function field<Rule extends z.ZodType>(type: ReturnTypeFunc, rule: Rule, description?: string): InputField<Rule> {
  return { type, rule, description };
}

type Rules<Fields extends Record<string, InputField<z.ZodType>>> = { [K in keyof Fields]: Fields[K]['rule'] };

export interface DeclaredInput<Fields extends Record<string, InputField<z.ZodType>>> {
  /** the GraphQL input class, for `@Arg('input', () => X.type)` */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  type: Function;
  /** the validation, for `parseInput(X, raw)` */
  schema: z.ZodObject<Rules<Fields>>;
}

/** What a resolver receives: the input as the client sent it, before validation. */
export type RawInput<D extends { schema: z.ZodType }> = z.input<D['schema']>;
/** What a service works with: the input after validation (trimmed, defaults applied). */
export type ValidInput<D extends { schema: z.ZodType }> = z.output<D['schema']>;

export function inputType<Fields extends Record<string, InputField<z.ZodType>>>(
  name: string,
  fields: Fields,
  description?: string,
): DeclaredInput<Fields> {
  const type = { [name]: class {} }[name];
  for (const [key, spec] of Object.entries(fields)) {
    const nullable = spec.rule.safeParse(undefined).success;
    Field(spec.type, { nullable, ...(spec.description ? { description: spec.description } : {}) })(type.prototype, key);
  }
  InputType(name, description ? { description } : {})(type);
  const rules = Object.fromEntries(Object.entries(fields).map(([key, spec]) => [key, spec.rule])) as Rules<Fields>;
  return { type, schema: z.object(rules) };
}

/** Validates an input; failures become user errors with field paths (so the payload changed nothing). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new UserErrorsException(
    result.error.issues.map((issue) => ({
      field: issue.path.map(String),
      message: issue.message,
      code: issue.code === 'invalid_type' && issue.input === undefined ? 'REQUIRED' : 'INVALID',
    })),
  );
}

/** Why one code of a bulk input is refused. */
export type CodeProblem = { code: string; message: string };

/**
 * A bulk input's codes (`field`, a list): every one passes `problemOf` (null: fine), or the
 * mutation stops with a user error per refused code, at its index in the list. A code named a
 * second time is refused there, so all or none is decided once for the whole list.
 */
export function requireEveryCode(codes: readonly string[], field: string, problemOf: (code: string) => CodeProblem | null): void {
  const problems: UserErrorData[] = [];
  const seen = new Set<string>();
  codes.forEach((code, index) => {
    const problem = seen.has(code) ? { code: 'INVALID', message: `${code} is named more than once` } : problemOf(code);
    seen.add(code);
    if (problem) problems.push({ field: [field, String(index)], ...problem });
  });
  if (problems.length > 0) throw new UserErrorsException(problems);
}

/** Stops a mutation (or a read that validates) with one user error. */
export function userError(field: string[], code: string, message: string): never {
  throw new UserErrorsException([{ field, code, message }]);
}

/**
 * The fields of a validated patch that were sent, ready for an update: an omitted
 * (undefined) field keeps its stored value, a null clears it.
 */
export function patchOf<T extends object, const K extends keyof T>(input: T, keys: readonly K[]): { [P in K]?: Exclude<T[P], undefined> } {
  const patch: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const key of keys) if (input[key] !== undefined) patch[key] = input[key] as Exclude<T[typeof key], undefined>;
  return patch;
}

/**
 * Update inputs are patches: an omitted field keeps its value, `null` clears a field that may
 * be empty. For a field that may not be empty, `null` is a user error rather than a crash.
 */
export function keepIfOmitted<S extends z.ZodType>(schema: S) {
  return schema
    .nullish()
    .refine((value) => value !== null, 'This field cannot be cleared: omit it to keep the current value')
    .transform((value) => (value === null ? undefined : value) as z.output<S> | undefined);
}

/** A calendar date from the Date scalar (a Date at UTC midnight) or 'YYYY-MM-DD'. */
export const calendarDate = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const text = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)) : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)) || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) {
    ctx.addIssue({ code: 'custom', message: 'A date is YYYY-MM-DD' });
    return z.NEVER;
  }
  return new Date(`${text}T00:00:00.000Z`);
});

/** The `version` an editor read: what optimistic concurrency compares. */
export const VERSION = z.number().int().positive('A version is a positive whole number: send the version you read');
