/** The drop record the model-based filters return: the clean step's own (`@tapir/clean`), stored the same way. */
export type { CleanDrop, CleanEvidence, CleanReason } from '@tapir/clean';
