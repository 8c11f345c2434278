import { z } from 'zod';

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
