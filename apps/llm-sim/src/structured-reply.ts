import type { GenerationRequest, ReplyFormat } from './generation-request';
import { invalid, type ApiError } from './generation-request';
import { isRecord } from './options';

/**
 * Structured replies, as the providers give them: OpenAI's `response_format: {type: 'json_schema'}`
 * (the object comes back as the message's content, a JSON string) and Anthropic's forced tool
 * (`tool_choice: {type: 'tool', name}`; the object comes back as a tool_use block's input). The
 * simulated model fills the schema's properties from what it would have said: numbers in the order
 * the schema lists them from its numbers, strings from its text.
 */

/** OpenAI's `response_format`: undefined for plain text, the format, or the 400 OpenAI would send. */
export function parseResponseFormat(value: unknown): ReplyFormat | undefined | ApiError {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return invalid("Invalid type for 'response_format': expected an object.", 'response_format', 'invalid_type');
  if (value.type === 'text') return undefined;
  if (value.type === 'json_object') return { kind: 'json_schema', name: 'json_object', schema: {} };
  if (value.type !== 'json_schema') {
    return invalid(`Invalid value: '${String(value.type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, 'response_format.type', 'invalid_value');
  }
  const spec = value.json_schema;
  if (!isRecord(spec)) return invalid("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema', 'missing_required_parameter');
  if (typeof spec.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    return invalid("Invalid 'response_format.json_schema.name': a name of letters, digits, '_' and '-' (at most 64) is required.", 'response_format.json_schema.name', 'invalid_value');
  }
  if (spec.schema !== undefined && !isRecord(spec.schema)) return invalid("Invalid type for 'response_format.json_schema.schema': expected an object.", 'response_format.json_schema.schema', 'invalid_type');
  return { kind: 'json_schema', name: spec.name, schema: (spec.schema ?? {}) as Record<string, unknown> };
}

/** Anthropic's `tools` and `tool_choice`: a forced tool is a structured reply; otherwise plain text. */
export function parseForcedTool(tools: unknown, toolChoice: unknown): ReplyFormat | undefined | ApiError {
  if (tools === undefined && toolChoice === undefined) return undefined;
  const list = tools ?? [];
  if (!Array.isArray(list)) return invalid('tools: Input should be a valid list');
  const schemas = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < list.length; i++) {
    const tool: unknown = list[i];
    if (!isRecord(tool) || typeof tool.name !== 'string' || tool.name.length === 0) return invalid(`tools.${i}.name: Field required`);
    if (!isRecord(tool.input_schema)) return invalid(`tools.${i}.input_schema: Field required`);
    if (tool.input_schema.type !== 'object') return invalid(`tools.${i}.input_schema.type: Input should be 'object'`);
    schemas.set(tool.name, tool.input_schema);
  }
  if (toolChoice === undefined || toolChoice === null) return undefined;
  if (!isRecord(toolChoice)) return invalid('tool_choice: Input should be a valid dictionary');
  if (toolChoice.type === 'auto' || toolChoice.type === 'none') return undefined;
  if (toolChoice.type === 'any') {
    const [first] = schemas;
    return first === undefined ? invalid('tool_choice: `any` requires at least one tool') : { kind: 'tool', name: first[0], schema: first[1] };
  }
  if (toolChoice.type !== 'tool') return invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  const name = toolChoice.name;
  const schema = typeof name === 'string' ? schemas.get(name) : undefined;
  if (schema === undefined) return invalid(`tool_choice.name: Tool '${String(name)}' not found in tools`);
  return { kind: 'tool', name: name as string, schema };
}

/** Whether the model's endpoint takes structured requests; a profile may say no, like a server without them. */
export function structuredOutputRejected(req: GenerationRequest, provider: 'openai' | 'anthropic'): ApiError {
  return provider === 'openai'
    ? invalid(`Invalid parameter: 'response_format' of type '${req.replyFormat?.kind ?? 'json_schema'}' is not supported with this model.`, 'response_format', 'invalid_parameter')
    : invalid('tools: this model does not support tool use (tool_choice)');
}

/**
 * The object a simulated model writes for a schema: numeric properties take `numbers` in the
 * order the schema lists them, string properties `text`, booleans false, other types null. A
 * schema without properties gets the judge's field names, as a model would guess them.
 */
export function fillSchema(schema: Record<string, unknown>, numbers: readonly number[], text: string): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : null;
  if (properties === null || Object.keys(properties).length === 0) {
    return numbers.length >= 2 ? { assistant_1_score: numbers[0], assistant_2_score: numbers[1], explanation: text } : { text };
  }
  const out: Record<string, unknown> = {};
  let next = 0;
  for (const [key, spec] of Object.entries(properties)) {
    const type = isRecord(spec) ? spec.type : undefined;
    if (type === 'number' || type === 'integer') out[key] = numbers[next++] ?? 0;
    else if (type === 'string') out[key] = text;
    else if (type === 'boolean') out[key] = false;
    else out[key] = null;
  }
  return out;
}
