import { TapirError } from '@tapir/core';

/** The campaign stops here: paused (budget) or cancelled. Nothing retries such a job; resume enqueues it again. */
export class CampaignHaltedError extends TapirError {
  constructor(
    readonly campaignId: string,
    readonly status: string,
    message: string,
  ) {
    super(message, { retryable: false, haltsCampaign: true });
    this.name = 'CampaignHaltedError';
  }
}
