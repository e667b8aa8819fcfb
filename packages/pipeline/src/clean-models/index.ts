export * from './clean-drop';
export * from './model-filter-input';
export { applyModelFilters } from './apply-model-filters';
export { embedTexts, embeddingInput, EMBEDDINGS_PROMPT_VERSION } from './embed-texts';
export { embeddingEndpoint, type EmbeddingEndpoint } from './embedding-endpoint';
export { semanticDrops } from './semantic-drops';
export { perplexity, PERPLEXITY_PROMPT_VERSION } from './perplexity-filter';
