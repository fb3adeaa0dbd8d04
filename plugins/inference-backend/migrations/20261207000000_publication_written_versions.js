// @ts-check

/**
 * What the last change of a publication left in the cluster: each object's resourceVersion as the
 * cluster answered it (null: deleted), by object. A replica plans the next change from its watch
 * of the publication's objects only once the watch has delivered all of them
 * (src/publication/publicationCache.ts). Null for records written before: those read afresh.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('inference_publication_records', table => {
    table
      .text('written_versions')
      .nullable()
      .comment(
        'JSON: object key -> resourceVersion the last change wrote (null: deleted)',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('inference_publication_records', table => {
    table.dropColumn('written_versions');
  });
};
