/**
 * What a provider bills, per request: the fault suite's independent view of "paid twice", which
 * does not trust tapir's own ledger. A request is keyed by its exact body (the SDKs send the same
 * bytes when they or tapir send the same request again). A reply is billed once the simulator has
 * generated it, whether or not the client is still connected to receive it: a provider charges
 * for the generation, not for the delivery, so a worker killed mid-request has still paid.
 */

export interface WireStats {
  /** Requests accepted for generation and not yet answered (the latency wait included), now. */
  inFlight: number;
  /** Requests that went on the wire since the start (or the last reset), in flight now or not. */
  entered: number;
  /** Replies generated (billed), every request key. */
  billed: number;
  /** Billed replies whose client had gone (killed, or timed out) before delivery: each may be bought again. */
  undelivered: number;
  /** Distinct request keys billed at least once. */
  distinctBilled: number;
  /**
   * Replies billed again for a key already billed, not counting a re-ask of a judge reply the
   * simulator deliberately malformed (tapir asks again, on purpose, after an unparseable reply).
   */
  billedAgain: number;
}

interface KeyRecord {
  billed: number;
  /** Malformed judge replies of this key not yet followed by their deliberate re-ask. */
  reasksOwed: number;
}

export class BillingRecorder {
  private readonly byKey = new Map<string, KeyRecord>();
  private inFlight = 0;
  private entered = 0;
  private billed = 0;
  private undelivered = 0;
  private billedAgain = 0;

  /** The request goes on the wire: from here on it is answered, failed, or abandoned by its client. */
  enterFlight(): void {
    this.inFlight++;
    this.entered++;
  }

  leaveFlight(): void {
    this.inFlight--;
  }

  currentlyInFlight(): number {
    return this.inFlight;
  }

  recordBilled(requestKey: string, malformedJudgeReply: boolean, delivered = true): void {
    this.billed++;
    if (!delivered) this.undelivered++;
    const record = this.byKey.get(requestKey);
    if (record === undefined) {
      this.byKey.set(requestKey, { billed: 1, reasksOwed: malformedJudgeReply ? 1 : 0 });
      return;
    }
    record.billed++;
    if (record.reasksOwed > 0) record.reasksOwed--;
    else this.billedAgain++;
    if (malformedJudgeReply) record.reasksOwed++;
  }

  snapshot(): WireStats {
    return {
      inFlight: this.inFlight,
      entered: this.entered,
      billed: this.billed,
      undelivered: this.undelivered,
      distinctBilled: this.byKey.size,
      billedAgain: this.billedAgain,
    };
  }

  /** Forgets billed keys; requests in flight stay counted, as they are still on the wire. */
  reset(): void {
    this.byKey.clear();
    this.entered = 0;
    this.billed = 0;
    this.undelivered = 0;
    this.billedAgain = 0;
  }
}
