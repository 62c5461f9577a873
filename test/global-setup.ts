/** Says once, loudly, when the PostgreSQL half of the storage tests is not run. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    process.stderr.write(
      '\n[vitrine] TEST_DATABASE_URL is not set: storage tests run on SQLite only; the PostgreSQL half was NOT run.\n' +
        '[vitrine] Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (as .ci/run does) to run both.\n\n',
    );
  }
}
