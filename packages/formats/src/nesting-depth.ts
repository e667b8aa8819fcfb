/**
 * Whether a parsed JSON value nests objects/arrays more than `limit` levels. Walks with an
 * explicit stack, never recursion, so a 100,000-deep value cannot overflow the call stack, and
 * gives up at the first path that is too deep. A typical row is a handful of values.
 */
export function nestingDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // A flat row (the common case: every Parquet or CSV column, most JSONL rows) is one level deep;
  // saying so without the stack saves an allocation or three per row.
  if (!hasObjectChild(value)) return limit < 1;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: level });
    }
  }
  return false;
}

function hasObjectChild(value: object): boolean {
  const children = value as Record<string, unknown>;
  for (const key in children) {
    if (!Object.hasOwn(children, key)) continue;
    const child = children[key];
    if (typeof child === 'object' && child !== null) return true;
  }
  return false;
}
