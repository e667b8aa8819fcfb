import { InFlightBatcher } from '@tapir/core';
import type { Db } from '../connection';

/**
 * A per-row statement that concurrent jobs share round trips for. The SQL takes one array
 * parameter per column (`unnest($1::int[], ...) with ordinality as q(..., ord)`) and, when it
 * returns rows, returns at most one per input with `ord` (1-based, as int) saying which: inputs
 * without a row get undefined.
 *
 * Correlated checks are written as scalar subqueries with `limit 1`, not EXISTS: over a batch of
 * inputs PostgreSQL turns a correlated EXISTS into a hashed subplan that reads every matching row
 * of the table (every pending item, every teacher answer) on each call, which made the batched
 * probes quadratic in the campaign's size.
 *
 * They are sent unnamed, so PostgreSQL plans each batch with the table sizes and the array
 * lengths of the moment: a named statement keeps the generic plan it made while the campaign's
 * tables were nearly empty (sequential scans), and autovacuum's ANALYZE comes a minute later,
 * which at zero latency is most of a campaign. Planning costs a fraction of a millisecond per
 * batch, not per row.
 *
 * Statements that update rows take them in item-id order (`order by item_id` on the inputs), so
 * that two batches touching the same rows lock them in the same order; a deadlock PostgreSQL
 * still reports (other writers) fails only the batch, which is sent again.
 */
export interface BatchedStatement<Input extends readonly unknown[] = unknown[], Row = unknown> {
  name: string;
  text: string;
  /** Values per input (array parameters of the SQL). */
  width: Input['length'];
  /** Never set: carries the row type, so that a caller reads the columns the statement returns. */
  readonly row?: Row;
}

/** Batches are small enough to plan well and large enough to pay for the round trip many times over. */
const BATCHING = { maxBatch: 64, maxInFlight: 2 };

type RowBatcher = InFlightBatcher<unknown[], unknown>;

/** One batcher per database and statement name, made on first use. */
const batchersByDb = new WeakMap<Db, Map<string, RowBatcher>>();

function batcherFor(db: Db, name: string, runBatch: (inputs: unknown[][]) => Promise<unknown[]>): RowBatcher {
  let byName = batchersByDb.get(db);
  if (!byName) batchersByDb.set(db, (byName = new Map()));
  let batcher = byName.get(name);
  if (!batcher) byName.set(name, (batcher = new InFlightBatcher(runBatch, BATCHING)));
  return batcher;
}

async function runStatementBatch(db: Db, statement: BatchedStatement<readonly unknown[], unknown>, inputs: unknown[][]): Promise<unknown[]> {
  const columns = Array.from({ length: statement.width }, (_, k) => inputs.map((row) => row[k]));
  const result = await retryOnDeadlock(() => db.$client.query<{ ord: number }>({ text: statement.text, values: columns }));
  const byOrd: unknown[] = new Array(inputs.length);
  for (const row of result.rows) byOrd[row.ord - 1] = row;
  return byOrd;
}

const DEADLOCK_ATTEMPTS = 4;

async function retryOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      // 40P01: PostgreSQL aborted this statement to break a lock cycle; nothing of it was written.
      if ((err as { code?: string }).code !== '40P01' || attempt >= DEADLOCK_ATTEMPTS) throw err;
    }
  }
}

/** Runs the statement for one input, batched with concurrent ones; its row, if any. */
export function runBatched<Input extends readonly unknown[], Row>(db: Db, statement: BatchedStatement<Input, Row>, values: Input): Promise<Row | undefined> {
  if (values.length !== statement.width) {
    return Promise.reject(new Error(`${statement.name}: ${values.length} value(s) for a statement of width ${statement.width}`));
  }
  return batcherFor(db, statement.name, (inputs) => runStatementBatch(db, statement, inputs)).submit(values as unknown as unknown[]) as Promise<Row | undefined>;
}

/**
 * A probe whose answer depends only on a key (a campaign and round), asked by many concurrent
 * jobs: the probes that wait while one runs go together, and each distinct key in them is asked
 * once, as its own single-row prepared statement (constant parameters keep PostgreSQL's index
 * plans, which a correlated batch form loses). Every caller's probe starts after its call.
 */
export interface CoalescedProbe<Input extends readonly unknown[] = unknown[], Row = unknown> {
  name: string;
  text: string;
  readonly row?: Row;
  readonly input?: Input;
}

export function runCoalesced<Input extends readonly unknown[], Row>(db: Db, probe: CoalescedProbe<Input, Row>, values: Input): Promise<Row | undefined> {
  const batcher = batcherFor(db, probe.name, (inputs) => {
    const byKey = new Map<string, Promise<unknown>>();
    return Promise.all(
      inputs.map((input) => {
        const key = JSON.stringify(input);
        let answer = byKey.get(key);
        if (!answer) byKey.set(key, (answer = db.$client.query({ name: probe.name, text: probe.text, values: input }).then((r) => r.rows[0])));
        return answer;
      }),
    );
  });
  return batcher.submit(values as unknown as unknown[]) as Promise<Row | undefined>;
}

/**
 * A statement run on its own, typed by its parameters and rows. Named ones are prepared once per
 * connection; unnamed ones are planned with the values of each call (see above for when that
 * matters).
 */
export interface Query<Input extends readonly unknown[] = unknown[], Row = unknown> {
  name?: string;
  text: string;
  readonly row?: Row;
  readonly input?: Input;
}

export async function runQuery<Input extends readonly unknown[], Row>(db: Db, query: Query<Input, Row>, values: Input): Promise<Row[]> {
  const config = { text: query.text, values: values as unknown as unknown[] };
  const result = await db.$client.query(query.name ? { ...config, name: query.name } : config);
  return result.rows as Row[];
}
