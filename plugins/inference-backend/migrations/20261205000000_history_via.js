// @ts-check

/**
 * How a mutation reached the backend when not through the portal's own API: e.g. an AI agent's
 * action (src/actions/). Null for the REST API.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('inference_history', table => {
    table
      .string('via', 255)
      .nullable()
      .comment('e.g. "agent action inference:publish"; null for the REST API');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('inference_history', table => {
    table.dropColumn('via');
  });
};
