import { z } from 'zod';

const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Provider keys look like "sk-...", or contain a long run of mixed letters and digits; variable names do not. */
const KEY_PREFIX = /^(?:sk|xai)-/i;
const LONG_MIXED_RUN = /[A-Za-z0-9]{20,}/g;

/** True when a value looks like a credential itself rather than the name of a variable holding one. */
export function looksLikeSecret(value: string): boolean {
  if (KEY_PREFIX.test(value) || value.startsWith('Bearer ')) return true;
  return [...value.matchAll(LONG_MIXED_RUN)].some((m) => /\d/.test(m[0]) && /[A-Za-z]/.test(m[0]));
}

/**
 * The config names the environment variable that holds a key, never the key: config files are
 * shared, hashed into manifests and committed. A pasted key is rejected without echoing it back.
 */
export const apiKeyEnvSchema = z
  .string({ error: 'expected the name of an environment variable, like OPENAI_API_KEY' })
  .superRefine((value, ctx) => {
    if (looksLikeSecret(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'this looks like an API key itself; put the key in an environment variable and write the variable name here (e.g. OPENAI_API_KEY)',
      });
    } else if (!ENV_VAR_NAME.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an environment variable name (letters, digits and _, not starting with a digit), like OPENAI_API_KEY, got ${JSON.stringify(value)}`,
      });
    }
  });
