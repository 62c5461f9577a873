import { Command, CommanderError } from 'commander';
import { DomainError, InvalidInput } from '../core/errors.ts';
import type { Role } from '../db/schema.ts';
import { createUser } from '../modules/accounts/service.ts';
import { fillDemo } from '../modules/demo/service.ts';
import { parseAsOf, settle } from '../modules/ledger/settlement.ts';
import { registerOrganisation } from '../modules/orgs/service.ts';
import type { NewSource } from '../modules/sources/service.ts';
import { createSource } from '../modules/sources/service.ts';
import { printResult, withDb } from './context.ts';
import { importCommand } from './import.ts';
import { importOrdersCommand } from './import-orders.ts';
import { serve } from './serve.ts';

const program = new Command('vitrine').description('Vitrine: creator-commerce platform').exitOverride();
program.configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('serve')
  .description('run the server (console and API)')
  .option('--port <n>', 'port to listen on (default PORT or 3000)')
  .option('--no-demo', 'do not fill an empty database with the demo alliance')
  .action((options) => serve(options));

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(() => withDb(async (_db, _config, migrated) => printResult({ applied: migrated })));

const user = program.command('user').description('accounts');
user
  .command('create')
  .description('create an account')
  .requiredOption('--role <role>', 'operator|creator|org|merchant|colonel')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .option('--name <name>')
  .option('--handle <handle>', "the creator's public showcase handle")
  .action((o) =>
    withDb(async (db) => {
      const created = await db.kysely.transaction().execute(async (tx) => {
        const u = await createUser(tx, { role: o.role as Role, email: o.email, password: o.password, name: o.name, handle: o.handle ?? null });
        const organisation = u.role === 'org' ? await registerOrganisation(tx, u, u.name) : null;
        return { id: u.id, role: u.role, ...(organisation ? { organisation_id: organisation.id } : {}) };
      });
      printResult(created);
    }),
  );

const source = program.command('source').description('product and order sources');
source
  .command('create')
  .description('create a source; prints its webhook secret')
  .requiredOption('--kind <kind>', 'platform|merchant|own_shop')
  .requiredOption('--name <name>')
  .option('--platform <platform>', 'pdd|jd|taobao|youzan|weimob|mokuai|dangdang')
  .option('--owner <userId>', 'the merchant or creator who owns it')
  .option('--default-rate <bps>', 'commission in basis points for feeds that carry none')
  .action((o) =>
    withDb(async (db) => {
      const input: NewSource = { kind: o.kind, name: o.name, platform: o.platform ?? null, ownerUserId: o.owner ?? null, defaultCommissionBps: o.defaultRate === undefined ? null : Number(o.defaultRate) };
      const created = await createSource(db.kysely, input);
      printResult({ id: created.id, webhook_secret: created.webhookSecret });
    }),
  );

program
  .command('import')
  .description('import products into a source from a file (feed or saved platform response)')
  .argument('<file>')
  .requiredOption('--source <id>', 'the source the products belong to')
  .requiredOption('--format <format>', 'pdd-goods-search|jd-goods-query|taobao-material-optional|csv|jsonl|google-merchant-xml|shopify-products-json')
  .option('--mode <mode>', 'full (missing products go offline; default for feeds) or incremental (default for platform responses)')
  .action((file, o) => importCommand(file, o));

program
  .command('import-orders')
  .description('import an order report (one row per order line) of a source; see docs/orders-report.md')
  .argument('<file>')
  .requiredOption('--source <id>', 'the source the orders come from')
  .requiredOption('--format <format>', 'csv|jsonl')
  .action((file, o) => importOrdersCommand(file, o));

program
  .command('settle')
  .description('settle every commission whose return window has passed as of the date (default now); safe to run twice or to re-run after a crash')
  .option('--as-of <date>', 'a date (2026-12-01: the start of that Asia/Shanghai day) or an ISO-8601 instant')
  .option('--batch-lines <n>', 'commission lines per transaction (default 5000)')
  .option('--batches-at-once <n>', 'PostgreSQL: batches settled side by side, each on a connection of its own, 1-8 (default 2); SQLite settles one at a time')
  .action((o) =>
    withDb(async (db) => {
      const batchLines = o.batchLines === undefined ? undefined : Number(o.batchLines);
      if (batchLines !== undefined && (!Number.isInteger(batchLines) || batchLines < 1)) throw new InvalidInput('invalid_batch_lines', '--batch-lines is a positive whole number');
      const workers = o.batchesAtOnce === undefined ? undefined : Number(o.batchesAtOnce);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 8)) throw new InvalidInput('invalid_batches_at_once', '--batches-at-once is a whole number from 1 to 8');
      const asOf = parseAsOf(o.asOf);
      // Allowed, as the API allows it, but said: lines whose return window has not passed yet are settled.
      if (asOf.getTime() > Date.now()) process.stderr.write(`vitrine: warning: --as-of ${o.asOf} is after now: commission still inside its return window is settled, and a refund after that can only be clawed back\n`);
      const summary = await settle(db.kysely, { asOf, batchLines, workers });
      printResult(summary);
    }),
  );

program
  .command('demo')
  .description('fill an empty database with a demo alliance')
  .action(() => withDb(async (db) => printResult(await fillDemo(db.kysely))));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  const message = error instanceof DomainError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`vitrine: ${message.split('\n')[0]}\n`);
  process.exit(1);
}
