/**
 * A command's action that loads the command's module when the command runs, not when the CLI
 * starts. Loading every command up front pulled in about 1,700 modules (the model SDKs, the
 * dashboard, the simulator) and 30 MB of live heap for any command; V8 lets the old generation
 * grow to a few times what is live before a full collection, so `tapir campaign create` of a
 * million rows paid tens of MB of peak RSS for modules it never used.
 */
export function lazyAction<Args extends unknown[]>(load: () => (...args: Args) => unknown): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    await load()(...args);
  };
}
