import { buildFollowUpMessages, FOLLOW_UP_PROMPT_VERSION, type Exchange } from '@tapir/core';
import { sql } from 'drizzle-orm';
import type { CampaignRuntime } from '../campaign-registry';
import type { ItemState } from '../item-state';
import type { PipelineServices } from '../services';
import { askForWholeAnswer } from '../whole-answer';

/**
 * The teacher's replies to a multi-turn item's follow-up user turns (import.turns: all), each in
 * the context of the conversation so far: the refined first answer, then its own earlier
 * replies. Every request goes through the ledger, so a retried job pays for none again. A reply
 * still cut off after the re-ask ends the conversation there: it and the turns after it are not
 * training data (the export counts them as `followUpsCut`).
 */
export async function answerFollowUps(
  s: PipelineServices,
  campaign: CampaignRuntime,
  round: number,
  item: ItemState,
  firstAnswer: string,
  model: string,
): Promise<number> {
  const history: Exchange[] = [{ user: item.instruction, assistant: firstAnswer }];
  const rows: { turn: number; text: string; callId: number }[] = [];
  for (const [index, user] of item.followUps.entries()) {
    const answer = await askForWholeAnswer(s, campaign, 'teacher', round, {
      messages: buildFollowUpMessages(item, history, user),
      promptVersion: FOLLOW_UP_PROMPT_VERSION,
      purpose: 'follow-up',
      itemId: item.id,
    });
    if (!answer.whole) {
      s.logger.info({ campaignId: item.campaignId, itemId: item.id, turn: index + 1, reason: answer.reason }, 'follow-up reply cut off; conversation ends before it');
      break;
    }
    rows.push({ turn: index + 1, text: answer.reply.text, callId: answer.reply.callId });
    history.push({ user, assistant: answer.reply.text });
  }
  if (rows.length > 0) {
    await s.db.execute(sql`
      insert into follow_up_answers (campaign_id, item_id, turn, text, model, prompt_version, llm_call_id)
      select ${item.campaignId}, ${item.id}, r.turn, r.text, ${model}, ${FOLLOW_UP_PROMPT_VERSION}, r.call_id
        from json_to_recordset(${JSON.stringify(rows.map((r) => ({ turn: r.turn, text: r.text, call_id: r.callId })))}::json)
             as r(turn int, text text, call_id int)
      on conflict do nothing`);
  }
  return rows.length;
}
