import { z } from 'zod';

/**
 * The field types every config section is built from, with one message for the type check and
 * the bound check, so "eight" and 0 get the same explanation. One file, imported by every schema
 * file, so the messages a user reads are the same in every section.
 */

export const bool = () => z.boolean({ error: 'expected true or false' });

export const intAtLeast = (min: number) => {
  const error = `expected an integer >= ${min}`;
  return z.int({ error }).min(min, { error });
};

export const numberFromTo = (min: number, max: number) => {
  const error = `expected a number from ${min} to ${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
};

export const numberAtLeast = (min: number) => {
  const error = `expected a number >= ${min}`;
  return z.number({ error }).min(min, { error });
};

export const numberAbove = (min: number) => {
  const error = `expected a number > ${min}`;
  return z.number({ error }).gt(min, { error });
};

export const share = () => {
  const error = 'expected a number from 0 to 1';
  return z.number({ error }).min(0, { error }).max(1, { error });
};

/** A share that may be 1 (everything) but not 0 (a round or filter that keeps nothing is a mistake). */
export const shareAboveZero = () => {
  const error = 'expected a number > 0 and <= 1';
  return z.number({ error }).gt(0, { error }).max(1, { error });
};

export const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.map((v) => `"${v}"`).join(', ')}` });

export const nonEmptyText = z.string({ error: 'expected text' }).trim().min(1, { error: 'expected non-empty text' });

export const sectionError = (what: string) => ({
  error: (iss: { code?: string }) => (iss.code === 'invalid_type' ? `expected a mapping (${what})` : undefined),
});

/**
 * An optional section of settings that all have defaults. A section whose lines are all
 * commented out parses as null in YAML; that means "use the defaults", not an error.
 */
export function optionalSection<T extends z.ZodType<unknown, object>>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.prefault({} as z.input<T>));
}

/** A section that is off when left out or written as null. */
export function absentWhenNull<T extends z.ZodType<unknown, object>>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}
