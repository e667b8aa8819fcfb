/**
 * The last generation requests the simulator answered, as a provider's request log shows them:
 * which model, what it was asked to do, the max_tokens it was given and how each choice ended.
 * Tests read it to see what a client really sent (a re-ask with a larger budget is a second
 * entry). Bounded, so a long benchmark run holds only the newest entries.
 */

export interface JournalEntry {
  model: string;
  /** What the model was asked to do (answer, judge, classify, expand, completion, logprobs). */
  kind: string;
  /** The request's max_tokens (max_completion_tokens), or null when it gave none. */
  maxTokens: number | null;
  /** Per choice: 'length' = cut at max_tokens (sent as OpenAI's finish_reason 'length', Anthropic's stop_reason 'max_tokens'), 'stop', 'stop_sequence'. */
  finishReasons: string[];
  /** The system text the request carried ('' when none): what a client passed on as the item's system prompt. */
  system: string;
  /** User and assistant messages in the request: a conversation's history shows here. */
  turns: number;
}

const DEFAULT_CAPACITY = 10_000;

export class RequestJournal {
  private entries: JournalEntry[] = [];

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  record(entry: JournalEntry): void {
    this.entries.push(entry);
    // Dropping half at once keeps recording O(1) amortised.
    if (this.entries.length > this.capacity) this.entries = this.entries.slice(-Math.ceil(this.capacity / 2));
  }

  /** Oldest first; a copy. */
  snapshot(): JournalEntry[] {
    return this.entries.map((e) => ({ ...e, finishReasons: [...e.finishReasons] }));
  }

  reset(): void {
    this.entries = [];
  }
}
