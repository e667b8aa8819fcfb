import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { ConfigError, type ConfigIssue } from './config-error';
import { humanIssueMessage, toConfigIssues } from './config-issues';
import { campaignConfigSchema, type CampaignConfig } from './config-schema';
import { parseConfigSource } from './config-source';

export { ConfigError, formatConfigIssue, type ConfigIssue } from './config-error';
export {
  campaignConfigSchema,
  DEFAULT_HARD_SHARE,
  DEFAULT_MAX_REPEATS,
  DEFAULT_MAX_INSTRUCTION_CHARS,
  DEFAULT_MAX_ROW_BYTES,
  DEFAULT_OUTAGE_PAUSE_MS,
  DEFAULT_TEMPERATURE,
  MODEL_ROLES,
  type CampaignConfig,
  type CampaignConfigInput,
  type ModelRole,
  type ModelRoleConfig,
} from './config-schema';

/** Node reports JSON syntax errors by character offset; people want line:column. */
function jsonSyntaxIssue(text: string, error: Error): ConfigIssue {
  const message = error.message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  const issue: ConfigIssue = { path: '', message: `JSON syntax error: ${message}` };
  const lineCol = /line (\d+) column (\d+)/.exec(error.message);
  const position = /position (\d+)/.exec(error.message);
  if (lineCol) {
    issue.line = Number(lineCol[1]);
    issue.column = Number(lineCol[2]);
  } else if (position) {
    const before = text.slice(0, Number(position[1]));
    issue.line = before.split('\n').length;
    issue.column = before.length - before.lastIndexOf('\n');
  }
  return issue;
}

/**
 * Parses and validates a campaign config. YAML is the normal format; a .json file is read with
 * JSON.parse so that its syntax errors are reported the way JSON users expect. Every problem is
 * reported at once, with the line it is on, in a single ConfigError.
 */
export function parseCampaignConfig(rawText: string, fileName: string): CampaignConfig {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const text = rawText.replace(/^\uFEFF/, '');
  // JSON is YAML flow syntax, so the YAML parse also serves JSON files for locating lines.
  const source = parseConfigSource(text);
  let data: unknown;
  if (source.refusal) throw new ConfigError(fileName, [source.refusal]);
  if (fileName.toLowerCase().endsWith('.json')) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(fileName, [jsonSyntaxIssue(text, error as Error)]);
    }
  } else {
    if (source.syntaxIssues.length > 0) throw new ConfigError(fileName, source.syntaxIssues);
    data = source.data;
  }

  if (data === null || data === undefined) {
    throw new ConfigError(fileName, [
      { path: '', line: 1, message: 'the file is empty; expected a campaign config with at least a models: section' },
    ]);
  }
  const result = campaignConfigSchema.safeParse(data, { error: humanIssueMessage });
  if (!result.success) {
    throw new ConfigError(fileName, toConfigIssues(result.error.issues, data, campaignConfigSchema, source.lineOf));
  }
  return result.data;
}

/** Identifies a config by content: equal configs hash equally whatever their key order or formatting. */
export function configHash(config: CampaignConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}
