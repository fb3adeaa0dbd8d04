// @ts-check

/**
 * Publish plans of the agent actions (src/actions/PublishPlanStore.ts): an agent must plan a
 * publish (a dry run the user can review) before it may publish, and the publish applies exactly
 * the planned request, once, while the state it was planned against holds.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('inference_publish_plans', table => {
    table.comment('Publish plans made by agent actions, used at most once');
    table.string('id', 36).primary().notNullable();
    table
      .string('publication_key', 400)
      .notNullable()
      .comment('cluster/namespace/model');
    table.string('actor', 255).notNullable().comment('Who made the plan');
    table.text('request').notNullable().comment('The publish request (JSON)');
    table
      .string('fingerprint', 64)
      .notNullable()
      .comment('The state the plan was made against');
    table.bigInteger('expires_at').notNullable().comment('Epoch ms');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('inference_publish_plans');
};
