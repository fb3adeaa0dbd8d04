// @ts-check

/**
 * The publish history: one row per mutation the inference backend performed or attempted.
 * Rows never hold API key values (only key ids and names inside `changes`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('inference_history', table => {
    table.comment(
      'Every mutation made through the inference plugin, for audit and the history tab',
    );
    table.string('id', 36).primary().notNullable();
    table.string('action', 64).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('Entity ref of the user or service');
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('model', 63).notNullable();
    table.string('outcome', 16).notNullable().comment('succeeded | failed');
    table.text('summary');
    table
      .text('changes')
      .comment('JSON: the planned changes applied, without secret values');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['cluster', 'namespace', 'model', 'created_at'],
      'inference_history_model_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('inference_history');
};
