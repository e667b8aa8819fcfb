import type { ImportSummary } from '@tapir/pipeline';

export function formatImportSummary(s: ImportSummary): string {
  const lines = [
    `imported ${s.imported} item(s) from ${(s.sources?.length ?? 1) > 1 ? `${s.sources.length} sources` : s.file}`,
    `  rows read            ${s.rowsRead}`,
    `  duplicates skipped   ${s.duplicates}`,
    `  bad rows             ${s.badRows}`,
    `  categories from data ${s.categoriesFromData}${s.categoriesNotInTaxonomy ? ` (${s.categoriesNotInTaxonomy} labels not in the taxonomy, to be classified)` : ''}`,
    `  teacher answers      ${s.teacherAnswersImported} imported (not bought again)`,
    `  student answers      ${s.studentAnswersImported} imported`,
  ];
  const c = s.conversations;
  if (c && (c.withSystemPrompt > 0 || c.multiTurn > 0)) {
    lines.push(`  system prompts       ${c.withSystemPrompt} kept`);
    if (c.multiTurn > 0) {
      lines.push(
        c.turns === 'all'
          ? `  multi-turn           ${c.multiTurn} conversation(s), ${c.followUpTurns} follow-up turn(s) kept (import.turns: all; the teacher answers them at refinement)`
          : `  multi-turn           ${c.multiTurn} conversation(s): ${c.followUpTurnsCut} follow-up turn(s) cut (import.turns: first; set import.turns: all to keep them)`,
      );
    }
  }
  // One source says nothing the lines above do not; several get a line each.
  if ((s.sources?.length ?? 0) > 1) {
    lines.push('  per source             read  imported  duplicates  bad');
    for (const src of s.sources) {
      const cut = src.cappedAtMaxRows ? '  (cut at maxRows)' : '';
      const split = src.split ? ` [${src.split}, ${src.files.length} file(s)]` : '';
      lines.push(`    ${src.name.padEnd(20)} ${String(src.rowsRead).padStart(6)} ${String(src.imported).padStart(9)} ${String(src.duplicates).padStart(11)} ${String(src.badRows).padStart(4)}${split}${cut}`);
    }
  }
  if (s.badRows > 0) {
    lines.push('  bad rows (skipped):');
    for (const b of s.badRowSamples.slice(0, 20)) lines.push(`    ${b.file}:${b.line}: ${b.message}`);
    if (s.badRows > 20) lines.push(`    ... and ${s.badRows - 20} more (all listed in the campaign's import_errors)`);
  }
  return lines.join('\n');
}
