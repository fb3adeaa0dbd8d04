// @ts-check

/**
 * What each publication was published as (src/drift/PublicationRecordStore.ts): the request and
 * key digests the portal last applied, and the last drift check's result. The drift check rebuilds
 * the desired objects from this row, independent of the cluster it checks, so a hand edit of the
 * cluster cannot also rewrite what it is compared against. One row per published model.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('inference_publication_records', table => {
    table.comment('What each publication was published as, and its drift');
    table
      .string('publication_key', 400)
      .primary()
      .notNullable()
      .comment('cluster/namespace/model');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('model', 255).notNullable();
    table.string('tenant', 255).notNullable();
    table
      .text('request')
      .notNullable()
      .comment('The publish request as applied, defaults resolved (JSON)');
    table.string('model_type', 32).notNullable();
    table
      .text('keys')
      .notNullable()
      .comment(
        'Key metadata and SHA-256 digests of the values (JSON); never a key',
      );
    table.string('published_by', 255).notNullable();
    table.bigInteger('published_at').notNullable().comment('Epoch ms');
    table
      .text('drift')
      .nullable()
      .comment('The last drift check (JSON PublicationDrift)');
    table.bigInteger('checked_at').nullable().comment('Epoch ms');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('inference_publication_records');
};
