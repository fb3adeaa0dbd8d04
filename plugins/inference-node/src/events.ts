/**
 * Topic the inference backend publishes on (events service) after it created, changed,
 * published or unpublished a model; the catalog module refreshes its entities when it hears it.
 * @public
 */
export const MODELS_CHANGED_TOPIC = 'inference.models.changed';
