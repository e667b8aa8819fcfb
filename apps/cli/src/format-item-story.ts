import type { ItemStory, StoryAnswer, StoryJudgeOrder } from '@tapir/pipeline';

/** Every line of a text, indented and marked, so an answer's own blank lines stay visibly its own. */
function quoted(text: string, indent: string): string[] {
  return text === '' ? [`${indent}| (empty)`] : text.split('\n').map((line) => `${indent}| ${line}`);
}

function answerHeading(a: StoryAnswer): string {
  const round = a.kind === 'student' ? `round ${a.round}` : 'all rounds';
  const origin = a.source === 'import' ? 'imported with the pool' : `${a.model ?? '?'}, ${a.promptVersion ?? '?'}, call ${a.callId ?? '?'}, finish ${a.finishReason ?? '?'}`;
  return `  ${a.kind} (${round}): ${origin}`;
}

function judgeOrder(name: string, o: StoryJudgeOrder): string[] {
  const lines = [`    ${name}: teacher ${o.teacher}, student ${o.student}`];
  o.replies.forEach((r, i) => {
    const last = i === o.replies.length - 1;
    lines.push(`      reply ${i + 1}${last ? '' : ' (did not parse, asked again)'}, call ${r.callId ?? '? (not kept before 2026-12-04)'}:`);
    lines.push(...quoted(r.text, '        '));
  });
  return lines;
}

/** `tapir show` as text: the item, how it was labelled, every answer, the judge's replies, its scores and its plan rows. */
export function formatItemStory(story: ItemStory): string {
  const { item, category } = story;
  const out: string[] = [];
  out.push(`campaign ${story.campaign.id} (${story.campaign.name}), item ${item.id}: ${item.origin}, ${item.status}`);
  if (item.failReason) out.push(`  failed at ${item.failStep ?? '?'}: ${item.failReason}`);
  if (item.source) {
    const dups = item.duplicatesInFile > 0 ? ` (and ${item.duplicatesInFile} duplicate row(s) in the file)` : '';
    out.push(`source: ${item.source.file ?? '(file not recorded)'}:${item.source.line ?? '?'}${dups}`);
  }
  if (story.synthesis) {
    const y = story.synthesis;
    out.push(`synthesized for ${y.category} in round ${y.round} from topic "${y.topic}", for ${y.audience}, as ${y.form} (synthesis ${y.synthesisId}, call ${y.callId ?? '?'})`);
  }
  if (story.conversation.system !== null) out.push(`system prompt: ${story.conversation.system}`);
  story.conversation.followUps.forEach((f, i) => {
    out.push(`follow-up ${i + 1}: ${f.user}`);
    out.push(`  teacher: ${f.assistant ?? '(not written: the item was not refined, or the reply was cut off)'}${f.callId === null ? '' : ` (call ${f.callId})`}`);
  });
  if (story.expansion) {
    const x = story.expansion;
    out.push(`expanded from item ${x.seedItemId} (expansion ${x.expansionId ?? '?'}, round ${x.round ?? '?'}, call ${x.callId ?? '?'}); see \`tapir show ${story.campaign.id} --item ${x.seedItemId}\``);
  }
  out.push(`key: ${item.key}`);
  out.push('instruction:', ...quoted(item.instruction, '  '));
  if (item.input) out.push('input:', ...quoted(item.input, '  '));
  const labelledBy =
    category.source === 'data' ? 'named by the pool file'
    : category.source === 'classifier' ? `labelled by the classifier${category.classifyCallIds.length ? `, call ${category.classifyCallIds.join(', ')}` : ''}`
    : 'not labelled yet';
  out.push(`category: ${category.label ?? '-'} (${labelledBy})`);

  out.push('', 'answers:');
  if (story.answers.length === 0) out.push('  none yet');
  for (const a of story.answers) out.push(answerHeading(a), ...quoted(a.text, '    '));

  out.push('', 'judgments (MFD = teacher score - student score, each the mean of both orders):');
  if (story.judgments.length === 0) out.push('  none');
  for (const j of story.judgments) {
    out.push(`  round ${j.round}: MFD ${j.mfd} (teacher ${j.teacherScore}, student ${j.studentScore}), ${j.judgeModel}, ${j.promptVersion}`);
    out.push(...judgeOrder('forward order (teacher first)', j.forward), ...judgeOrder('swapped order (student first)', j.swapped));
  }

  if (story.ifd.length > 0) {
    out.push('', 'IFD (student):');
    for (const r of story.ifd) out.push(`  round ${r.round}: ${r.ifd} = s(A|Q) ${r.conditionedNll} / s(A) ${r.unconditionedNll}, ${r.studentModel}`);
  }

  out.push('', 'plan rows:');
  if (story.plan.length === 0) out.push('  none (not planned in any round)');
  for (const p of story.plan) {
    out.push(
      `  round ${p.round}, stage ${p.stage}, repeat ${p.repeatIndex}: difficulty ${p.difficulty} (${p.hard ? 'hard' : 'easy'}), ` +
        `stage ${p.stage} spans ${p.stageDifficulty.min}..${p.stageDifficulty.max} over ${p.stageDifficulty.rows} rows; ${p.category}; refinement ${p.refineStatus}`,
    );
    out.push(`    row id ${p.rowId}`);
  }

  out.push('', 'ledger calls:');
  for (const c of story.calls) {
    const served = c.servedFromCallId === null ? '' : ` (served from call ${c.servedFromCallId})`;
    const error = c.error ? `: ${c.error}` : '';
    out.push(`  ${c.id}  ${c.role} ${c.purpose}  ${c.model}  ${c.promptVersion}  ${c.status}${c.finishReason ? ` (${c.finishReason})` : ''}${served}${error}`);
  }
  return out.join('\n');
}
