// @ts-check

/**
 * Per-publication locks (src/publication/publicationLock.ts): one row while a backend replica
 * reads, plans and applies a publication's objects. A row is a lease: it names its holder and
 * expires unless renewed, so a crashed replica never blocks a publication for longer than a lease.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('inference_publication_locks', table => {
    table.comment(
      'Held while a backend replica changes a publication (read, plan, apply)',
    );
    table
      .string('lock_key', 400)
      .primary()
      .notNullable()
      .comment('cluster/namespace/model');
    table.string('holder', 36).notNullable().comment('Random id of the holder');
    table
      .bigInteger('expires_at')
      .notNullable()
      .comment('Epoch milliseconds; renewed while held');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('inference_publication_locks');
};
