/** One problem in a config file, located as precisely as the source allows. */
export interface ConfigIssue {
  /** Dotted field path such as "models.teacher.concurrency"; empty for whole-file problems. */
  path: string;
  message: string;
  /** 1-based line in the source file. */
  line?: number;
  /** 1-based column, known for syntax errors. */
  column?: number;
}

export function formatConfigIssue(fileName: string, issue: ConfigIssue): string {
  let where = fileName;
  if (issue.line !== undefined) where += `:${issue.line}`;
  if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
  return `${where}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

/** Thrown for any invalid config; the message lists every issue, one per line, ready to print. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  readonly fileName: string;

  constructor(fileName: string, issues: ConfigIssue[]) {
    super([`Invalid config ${fileName}:`, ...issues.map((i) => formatConfigIssue(fileName, i))].join('\n'));
    this.name = 'ConfigError';
    this.fileName = fileName;
    this.issues = issues;
  }
}
