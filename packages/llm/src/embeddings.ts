import OpenAI from 'openai';
import type { ProviderKind } from './endpoint';
import { LlmError, toLlmError } from './llm-error';

/** The vectors of one batch of texts, in the order of the texts, and what the endpoint billed. */
export interface EmbeddingBatch {
  vectors: Float32Array[];
  inputTokens: number;
}

/** An embeddings endpoint: OpenAI's /v1/embeddings or a server that speaks it (vLLM, Ollama, TEI). */
export interface EmbeddingProvider {
  readonly kind: ProviderKind;
  readonly model: string;
  readonly baseURL: string | undefined;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingBatch>;
}

export interface EmbeddingEndpointConfig {
  provider: Extract<ProviderKind, 'openai' | 'openai-compatible'>;
  model: string;
  baseURL?: string | undefined;
  timeoutMs: number;
}

/**
 * A vector as the wire gave it: base64 of little-endian float32 (what tapir asks for, a quarter of
 * the JSON of floats) or a plain array from a server that ignores encoding_format.
 */
export function decodeEmbedding(value: unknown): Float32Array {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length % 4 !== 0) throw new LlmError('server', `embedding of ${bytes.length} bytes is not float32 data`);
    const out = new Float32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
    return out;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return Float32Array.from(value as number[]);
  if (value instanceof Float32Array) return value;
  throw new LlmError('server', 'embedding is neither base64 text nor an array of numbers');
}

/** SDK retries off, as for chat: the caller's job retries own backoff and the shared rate limit. */
export class OpenAIEmbeddingProvider implements EmbeddingProvider {
  private readonly client: OpenAI;
  readonly kind: EmbeddingEndpointConfig['provider'];
  readonly model: string;
  readonly baseURL: string | undefined;

  constructor(config: EmbeddingEndpointConfig, apiKey: string) {
    this.kind = config.provider;
    this.model = config.model;
    this.baseURL = config.baseURL;
    this.client = new OpenAI({ apiKey, baseURL: config.baseURL, maxRetries: 0, timeout: config.timeoutMs });
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingBatch> {
    let response;
    try {
      response = await this.client.embeddings.create({ model: this.model, input: [...texts], encoding_format: 'base64' }, { signal });
    } catch (err) {
      throw toLlmError(err);
    }
    const vectors: (Float32Array | undefined)[] = new Array(texts.length);
    for (const item of response.data) {
      if (!(Number.isInteger(item.index) && item.index >= 0 && item.index < texts.length)) {
        throw new LlmError('server', `embeddings reply has index ${item.index} for ${texts.length} inputs`);
      }
      vectors[item.index] = decodeEmbedding(item.embedding);
    }
    const missing = vectors.findIndex((v) => v === undefined);
    if (missing >= 0) throw new LlmError('server', `embeddings reply has no vector for input ${missing} of ${texts.length}`);
    const dims = vectors[0]!.length;
    if (dims === 0 || vectors.some((v) => v!.length !== dims)) throw new LlmError('server', 'embeddings reply has vectors of differing or zero length');
    return { vectors: vectors as Float32Array[], inputTokens: response.usage?.prompt_tokens ?? 0 };
  }
}
