import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Pool } from 'pg';
import { migrationsFolder, openDatabase, runMigrations } from '@tapir/db';
import { runTapir } from './support/run-tapir';
import { ADMIN_DATABASE_URL } from './support/test-env';

const FIXTURE = resolve(__dirname, 'fixtures/legacy-db');
const EXPECTED = join(FIXTURE, 'expected');

interface FixtureIndex {
  campaigns: { name: string; campaignId: string; rounds: number; exports: { round: number; format: string; dir: string }[] }[];
}

/** The one field that differs between two exports of the same round: when it was written. */
const EXPORTED_AT = /^  "exportedAt": "[^"]*",$/m;

/**
 * The manifest fields added since the fixture was made (answers cut off at max_tokens, issue 19;
 * the trainer handoff, issue 17), checked to say that nothing was cut and no Parquet or bare rows
 * were asked for, then removed, so the rest is compared byte for byte.
 */
/** The clean step came later (issue 15): the migration marks old items kept, nothing dropped. */
const NOTHING_DROPPED = { dropped: 0, droppedByReason: {}, contaminatedByBenchmark: {} };

function withoutCleanCounts(statusText: string, json: boolean): string {
  if (!json) {
    const lines = statusText.split('\n');
    const at = lines.findIndex((l) => /^clean: kept \d+, dropped 0$/.test(l));
    expect(at).toBeGreaterThan(0);
    lines.splice(at - 1, 2);
    return lines.filter((l) => !/^  clean +\d+ +0 +\d+$/.test(l)).join('\n');
  }
  const status = JSON.parse(statusText) as { clean?: unknown; sources?: unknown; items: { total: number }; steps: { step: string }[] };
  expect(status.clean).toMatchObject({ pending: 0, ...NOTHING_DROPPED });
  delete status.clean;
  // Per-source figures came later too (issue 16): an old campaign is one source of unknown name.
  expect(status.sources).toEqual([expect.objectContaining({ name: '(unknown)', items: expect.any(Number) })]);
  delete status.sources;
  status.steps = status.steps.filter((st) => st.step !== 'clean');
  return JSON.stringify(status, null, 2) + '\n';
}

/** Lineage fields added since (issue 16): an old seed item was not synthesized and has no follow-up turns. */
function withoutSynthesisFields(lineageText: string): string {
  return lineageText
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      const record = JSON.parse(line) as { synthesis?: unknown; followUpCallIds?: unknown };
      expect(record.synthesis).toBeNull();
      expect(record.followUpCallIds ?? []).toEqual([]);
      return line.replace('"synthesis":null,', '').replace(/,?"followUpCallIds":\[\]/, '');
    })
    .join('\n');
}

function withoutTruncationCounts(manifestText: string, wantText: string, lineageText: string): string {
  const manifest = JSON.parse(manifestText) as {
    sources?: unknown;
    truncated?: unknown;
    clean?: unknown;
    bare?: unknown;
    handoff?: unknown;
    files: Record<string, unknown>;
    stages: Array<{ truncatedRowsLeftOut?: unknown; parquetFile?: unknown; synthesizedRows?: unknown; conversations?: unknown }>;
  };
  // Issue 16: no synthesized rows, no conversations in an old campaign; lineage.jsonl gained two
  // keys per line (compared without them above), so its hash is checked against the file itself.
  for (const stage of manifest.stages) {
    expect(stage.synthesizedRows).toBe(0);
    expect(stage.conversations).toEqual({ withSystemPrompt: 0, multiTurn: 0, followUpTurns: 0, followUpTurnsCut: 0 });
    delete stage.synthesizedRows;
    delete stage.conversations;
  }
  delete manifest.sources;
  expect(manifest.files['lineage.jsonl']).toEqual({ bytes: Buffer.byteLength(lineageText), sha256: createHash('sha256').update(lineageText).digest('hex') });
  manifest.files['lineage.jsonl'] = (JSON.parse(wantText) as { files: Record<string, unknown> }).files['lineage.jsonl'];
  expect(manifest.clean).toMatchObject(NOTHING_DROPPED);
  delete manifest.clean;
  expect(manifest.truncated).toEqual({ teacherAnswers: 0, refinements: 0, expansions: 0 });
  delete manifest.truncated;
  for (const stage of manifest.stages) {
    expect(stage.truncatedRowsLeftOut).toBe(0);
    delete stage.truncatedRowsLeftOut;
    // The trainer handoff (issue 17): no Parquet copies unless asked for, rows not bare.
    expect(stage.parquetFile).toBeNull();
    delete stage.parquetFile;
  }
  expect(manifest.bare).toBe(false);
  delete manifest.bare;
  expect(manifest.handoff).toMatchObject({ llamaFactory: 'llamafactory.yaml', axolotl: 'axolotl.yaml', datasetCard: 'README.md' });
  delete manifest.handoff;
  for (const name of HANDOFF_FILES) {
    expect(manifest.files[name]).toBeDefined();
    delete manifest.files[name];
  }
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** Files the export gained since the fixture was made: the trainer configs and the dataset card (issue 17). */
const HANDOFF_FILES = ['llamafactory.yaml', 'axolotl.yaml', 'README.md'];

function loadDump(databaseUrl: string, sqlText: Buffer): Promise<void> {
  return new Promise((resolveLoad, reject) => {
    const child = execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl], { maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) =>
      err ? reject(new Error(`psql failed: ${stderr || err.message}`)) : resolveLoad(),
    );
    child.stdin!.end(sqlText);
  });
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/**
 * A database written by the code of commit b88a5fe (test/fixtures/legacy-db/make-fixture.js),
 * holding finished campaigns, is migrated by the current migrations; its campaigns then show and
 * export exactly as they did before, byte for byte, except each manifest's exportedAt and what
 * the export gained since (see the count at the end of the export test). The expected files were
 * regenerated once when status and the manifest gained the ledger's abandoned and
 * maybe-billed-twice counts (issue 20); everything else in them is unchanged.
 */
describe('migrating a database made by older code', () => {
  const dbName = `tapir_test_legacy_${randomBytes(5).toString('hex')}`;
  const databaseUrl = ADMIN_DATABASE_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  let index: FixtureIndex;
  let outDir: string;

  beforeAll(async () => {
    index = JSON.parse(await readFile(join(EXPECTED, 'index.json'), 'utf8')) as FixtureIndex;
    outDir = await mkdtemp(join(tmpdir(), 'tapir-legacy-'));
    const admin = new Pool({ connectionString: ADMIN_DATABASE_URL, max: 1 });
    try {
      await admin.query(`create database "${dbName}"`);
    } finally {
      await admin.end();
    }
    await loadDump(databaseUrl, gunzipSync(await readFile(join(FIXTURE, 'dump.sql.gz'))));
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    const admin = new Pool({ connectionString: ADMIN_DATABASE_URL, max: 1 });
    await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    await admin.end();
  });

  test('every current migration applies to the old database', async () => {
    const journal = JSON.parse(await readFile(join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const database = await openDatabase({ url: databaseUrl });
    try {
      const applied = async () => Number((await database.pool.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations')).rows[0]!.n);
      // The five migrations of b88a5fe; anything after them is what this test exists to prove.
      expect(await applied()).toBe(5);
      await runMigrations(database);
      expect(await applied()).toBe(journal.entries.length);
      // The old rows passed the new CHECKs; a status the code does not know no longer gets in.
      await expect(database.pool.query(`update items set status = 'judgd' where id = (select min(id) from items)`)).rejects.toMatchObject({
        code: '23514',
        constraint: 'items_status_check',
      });
    } finally {
      await database.close();
    }
  });

  test('tapir status shows every campaign as before', async () => {
    for (const campaign of index.campaigns) {
      for (const [args, file] of [
        [['--json'], `${campaign.name}.status.json`],
        [[], `${campaign.name}.status.txt`],
      ] as const) {
        const result = await runTapir(['status', campaign.campaignId, ...args], env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const text = withoutCleanCounts(result.stdout, args.length > 0);
        expect({ file, text }).toEqual({ file, text: await readFile(join(EXPECTED, file), 'utf8') });
      }
    }
  });

  test('tapir export writes every round in every format as before', async () => {
    let compared = 0;
    for (const campaign of index.campaigns) {
      for (const e of campaign.exports) {
        const out = join(outDir, e.dir);
        const result = await runTapir(['export', campaign.campaignId, '--round', String(e.round), '--format', e.format, '--out', out], env);
        expect(result.code).toBe(0);
        const expectedDir = join(EXPECTED, e.dir);
        expect(await listFiles(out)).toEqual([...(await listFiles(expectedDir)), ...HANDOFF_FILES].sort());
        for (const name of await listFiles(expectedDir)) {
          const want = await readFile(join(expectedDir, name), 'utf8');
          let got = await readFile(join(out, name), 'utf8');
          if (name === 'manifest.json') {
            const stamp = EXPORTED_AT.exec(got);
            expect(stamp).not.toBeNull();
            expect(Date.parse(JSON.parse(`{${stamp![0].replace(/,$/, '')}}`).exportedAt)).not.toBeNaN();
            got = got.replace(EXPORTED_AT, EXPORTED_AT.exec(want)![0]);
            got = withoutTruncationCounts(got, want, await readFile(join(out, 'lineage.jsonl'), 'utf8'));
          }
          if (name === 'lineage.jsonl') got = withoutSynthesisFields(got);
          expect({ file: `${e.dir}/${name}`, text: got }).toEqual({ file: `${e.dir}/${name}`, text: want });
          compared++;
        }
      }
    }
    // 2 + 1 rounds x 3 formats, each with manifest.json, dataset_info.json, lineage.jsonl and its
    // stage files. The expected files were written again when rows got their id and the export its
    // lineage (issue 19): each stage line equals the old one once its "id" is dropped, and each
    // manifest the old one once "lineage" and "files" are; lineage.jsonl is new. Judgments of the
    // old code kept no ledger call ids, so their lineage lines say null there.
    expect(compared).toBe(3 * (3 + 3) + 3 * (3 + 3) + 3 * (3 + 2));
  });
});
