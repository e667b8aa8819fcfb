/** Public configuration of the simulator, its defaults, and how runtime patches are applied. */

export interface ModelProfile {
  /** Base answer quality on a 1..10 scale. */
  quality: number;
  /** Added to `quality` for instructions of that task category (tapir taxonomy names). */
  categoryDelta?: Record<string, number>;
  /** Multiplies answer length; 1 = normal. */
  verbosity?: number;
  /** Overrides SimulatorOptions.contextTokens for this model. */
  contextTokens?: number;
  /** Fault rates for this model's endpoint only, replacing SimulatorOptions.faults for it. */
  faults?: FaultOptions;
  /** false: structured requests (response_format json_schema, a forced tool) get a 400, as from a server without them. Default true. */
  structuredOutput?: boolean;
}

export interface RateLimit {
  /** Requests per minute (sliding 60 s window). */
  rpm?: number;
  /** Tokens per minute: prompt + max_tokens reserved up front, settled to actual usage. */
  tpm?: number;
}

export interface FaultOptions {
  /** Probabilities 0..1 per accepted generation request; outcomes are mutually exclusive. */
  serverErrorRate?: number;
  /** 503 on the OpenAI endpoint, 529 overloaded_error on the Anthropic one. */
  overloadedRate?: number;
  /** Hang for timeoutHangMs, then close the socket without a response. */
  timeoutRate?: number;
  /** Destroy the socket immediately (ECONNRESET at the client). */
  resetRate?: number;
  /** A 429 regardless of the configured limits. */
  rateLimitRate?: number;
  /** Judge prompts get an unparseable (but 200) reply. */
  malformedJudgeRate?: number;
  /** Default 30 000 ms. */
  timeoutHangMs?: number;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  seed?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** Keyed by model name; the key '*' applies to every model without its own entry. */
  rateLimits?: Record<string, RateLimit>;
  faults?: FaultOptions;
  /** Merged over the built-in profiles (sim-teacher, sim-student, sim-judge). */
  models?: Record<string, ModelProfile>;
  requireApiKey?: boolean;
  /** Prompt (+ max_tokens) limit; beyond it requests fail with context_length_exceeded. */
  contextTokens?: number;
}

/** Options with every default filled in; what the running server actually consults. */
export interface ResolvedOptions {
  port: number;
  host: string;
  seed: number;
  latencyMs: number;
  jitterMs: number;
  rateLimits: Record<string, RateLimit>;
  faults: FaultOptions;
  models: Record<string, ModelProfile>;
  requireApiKey: boolean;
  contextTokens: number;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_TIMEOUT_HANG_MS = 30_000;

export function resolveOptions(opts: SimulatorOptions = {}): ResolvedOptions {
  return applyPatch(
    {
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      seed: 0,
      latencyMs: 0,
      jitterMs: 0,
      rateLimits: {},
      faults: {},
      models: {},
      requireApiKey: true,
      contextTokens: 32_768,
    },
    opts,
  );
}

/**
 * Shallow patch: every top-level key present replaces the old value wholesale (so `{faults: {}}`
 * switches all faults off). Predictable beats clever for tests that flip settings mid-run.
 */
export function applyPatch(current: ResolvedOptions, patch: Partial<SimulatorOptions>): ResolvedOptions {
  const next: ResolvedOptions = { ...current };
  for (const [key, value] of Object.entries(patch) as Array<[keyof SimulatorOptions, unknown]>) {
    if (value === undefined) continue;
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

const NUMBER_KEYS = ['port', 'seed', 'latencyMs', 'jitterMs', 'contextTokens'] as const;
const FAULT_KEYS: ReadonlyArray<keyof FaultOptions> = [
  'serverErrorRate', 'overloadedRate', 'timeoutRate', 'resetRate', 'rateLimitRate', 'malformedJudgeRate', 'timeoutHangMs',
];

/** Checks an untrusted patch (from POST /sim/config); returns an error message or null. */
export function validatePatch(patch: unknown): string | null {
  if (!isRecord(patch)) return 'config patch must be a JSON object';
  const known = new Set<string>([...NUMBER_KEYS, 'host', 'rateLimits', 'faults', 'models', 'requireApiKey']);
  for (const key of Object.keys(patch)) if (!known.has(key)) return `unknown option '${key}'`;
  for (const key of NUMBER_KEYS) {
    const v = patch[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return `'${key}' must be a number >= 0`;
  }
  if (patch.host !== undefined && typeof patch.host !== 'string') return "'host' must be a string";
  if (patch.requireApiKey !== undefined && typeof patch.requireApiKey !== 'boolean') return "'requireApiKey' must be a boolean";
  if (patch.faults !== undefined) {
    if (!isRecord(patch.faults)) return "'faults' must be an object";
    for (const [key, v] of Object.entries(patch.faults)) {
      if (!(FAULT_KEYS as readonly string[]).includes(key)) return `unknown fault '${key}'`;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `'faults.${key}' must be a number >= 0`;
      if (key !== 'timeoutHangMs' && v > 1) return `'faults.${key}' is a probability and must be <= 1`;
    }
  }
  if (patch.rateLimits !== undefined) {
    if (!isRecord(patch.rateLimits)) return "'rateLimits' must be an object";
    for (const [model, limit] of Object.entries(patch.rateLimits)) {
      if (!isRecord(limit)) return `'rateLimits.${model}' must be an object`;
      for (const [key, v] of Object.entries(limit)) {
        if (key !== 'rpm' && key !== 'tpm') return `unknown limit 'rateLimits.${model}.${key}'`;
        if (typeof v !== 'number' || !(v > 0)) return `'rateLimits.${model}.${key}' must be a number > 0`;
      }
    }
  }
  if (patch.models !== undefined) {
    if (!isRecord(patch.models)) return "'models' must be an object";
    for (const [model, profile] of Object.entries(patch.models)) {
      if (!isRecord(profile) || typeof profile.quality !== 'number') return `'models.${model}.quality' must be a number`;
    }
  }
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
