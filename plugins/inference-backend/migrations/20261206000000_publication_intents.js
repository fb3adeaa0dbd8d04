// @ts-check

/**
 * Changes in progress (src/recovery/IntentStore.ts): while a backend replica writes a publication's
 * objects to the cluster, one row says what it is applying (the publish request, or an unpublish),
 * written before the first write and deleted once the outcome is recorded. A row whose holder's
 * publication lock has expired is a change a stopped replica left half applied; another replica
 * applies it again, whole. Rows never hold an API key.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('inference_publication_intents', table => {
    table.comment(
      'The change a replica is applying to a publication, until its outcome is recorded',
    );
    table
      .string('publication_key', 400)
      .primary()
      .notNullable()
      .comment('cluster/namespace/model, as the publication lock');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('model', 255).notNullable();
    table.string('action', 64).notNullable().comment('The history action');
    table
      .string('actor', 255)
      .notNullable()
      .comment('Who asked for the change');
    table.text('summary').nullable();
    table
      .text('target')
      .nullable()
      .comment(
        'The publish request and model type being applied (JSON); null for an unpublish',
      );
    table.bigInteger('started_at').notNullable().comment('Epoch ms');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('inference_publication_intents');
};
