import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import type { WithdrawalsTable } from '../../db/schema.ts';
import { dailyEarningsOf, earningsByCreator, earningsByProduct, earningsOf, partyNames, settlementRun, settlementRuns, statementCsv, statementLines, statementOf, statementsPage, type StatementLine, type StatementView } from './service.ts';
import { operatorOverview } from './overview.ts';
import { parseAsOf, SettlementStopped, startSettlement, type StartedSettlement } from './settlement.ts';
import { ledgerSettings, ledgerSettingsSchema, updateLedgerSettings } from './settings.ts';
import { reportRecords } from '../orders/report-records.ts';
import { InvalidInput } from '../../core/errors.ts';
import { createPayoutBatch, partyOfUser, payoutBatches, payoutCsv, recordPayout, recordPayoutResults, requestWithdrawal, withdrawalsInBatch, withdrawalsInBatchPage, withdrawalsOf } from './withdrawals.ts';

const summarySchema = z.object({
  currency: z.string(),
  estimated: z.number().int(),
  confirmed: z.number().int(),
  settleable: z.number().int(),
  settled: z.number().int(),
  available: z.number().int().describe('settled, less paid out and less withdrawals in progress; may be negative after a claw-back'),
  paid_out: z.number().int(),
});

const withdrawalSchema = z.object({
  id: z.string(),
  party: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  currency: z.string(),
  amount: z.number().int(),
  payee_name: z.string(),
  payee_account: z.string(),
  status: z.enum(['requested', 'in_batch', 'paid', 'failed']),
  batch_id: z.string().nullable(),
  failure_reason: z.string().nullable(),
  requested_at: z.string(),
  decided_at: z.string().nullable(),
});

const statementSchema = z.object({
  id: z.string(),
  settlement_id: z.string(),
  as_of: z.string(),
  party: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  currency: z.string(),
  lines: z.number().int(),
  settled: z.number().int(),
  clawed_back: z.number().int().describe('negative: refunds after an earlier settlement, charged to this one'),
  net: z.number().int(),
  created_at: z.string(),
});

const statementLineSchema = z.object({
  order_id: z.string(),
  source_order_id: z.string(),
  line_id: z.string(),
  product: z.object({ id: z.string(), title: z.string() }).nullable(),
  creator: z.object({ id: z.string(), name: z.string() }).describe('whose order it was'),
  paid_at: z.string(),
  paid_amount: z.number().int(),
  refunded_amount: z.number().int(),
  rate_bps: z.number().int(),
  commission: z.number().int(),
  share: z.number().int().describe("the statement's party's share of the line's commission, as settled"),
  currency: z.string(),
  changed_since: z.boolean().describe('refunded or re-termed since it was settled: the difference is in a later statement'),
});

function statementLineJson(l: StatementLine): z.infer<typeof statementLineSchema> {
  return {
    order_id: l.orderId,
    source_order_id: l.sourceOrderId,
    line_id: l.lineId,
    product: l.product,
    creator: l.creator,
    paid_at: l.paidAt,
    paid_amount: l.paidAmountMinor,
    refunded_amount: l.refundedMinor,
    rate_bps: l.rateBps,
    commission: l.commissionMinor,
    share: l.shareMinor,
    currency: l.currency,
    changed_since: l.changedSince,
  };
}

function withdrawalJson(w: WithdrawalsTable, names: ReadonlyMap<string, string>): z.infer<typeof withdrawalSchema> {
  return {
    id: w.id,
    party: { kind: w.party_kind, id: w.party_id, name: names.get(`${w.party_kind}:${w.party_id}`) ?? w.party_id },
    currency: w.currency,
    amount: Number(w.amount_minor),
    payee_name: w.payee_name,
    payee_account: w.payee_account,
    status: w.status,
    batch_id: w.batch_id,
    failure_reason: w.failure_reason,
    requested_at: w.requested_at,
    decided_at: w.decided_at,
  };
}

function statementJson(s: StatementView): z.infer<typeof statementSchema> {
  return { id: s.id, settlement_id: s.settlementId, as_of: s.asOf, party: s.party, currency: s.currency, lines: s.lines, settled: s.settledMinor, clawed_back: s.clawedBackMinor, net: s.netMinor, created_at: s.createdAt };
}

const idParams = z.object({ id: z.string() });

const settlementRunSchema = z.object({
  id: z.string(),
  as_of: z.string(),
  status: z.enum(['running', 'completed']),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  lines: z.number().int().describe('settled so far'),
  batches: z.number().int(),
  summary: z.unknown().describe('once completed: settled_minor, clawed_back_minor (by currency) and statements'),
  error: z.string().nullable().describe('why a running run stopped; it waits to be resumed by the next run'),
  heartbeat_at: z.string().nullable().describe('when something last worked on the run: its start or resumption, and each batch'),
  active: z.boolean().describe('running, not stopped, and moved within the last two minutes; a running run that is not active was abandoned (its process died) and waits to be resumed'),
});

const settlementResultSchema = z.object({
  settlement_id: z.string(),
  as_of: z.string(),
  resumed: z.boolean(),
  lines: z.number().int(),
  batches: z.number().int(),
  settled_minor: z.record(z.string(), z.number()),
  clawed_back_minor: z.record(z.string(), z.number()),
  statements: z.number().int(),
});

/**
 * A run's as-of after the moment it was asked for settles lines still inside their return window,
 * and a refund after that is only clawed back: the answer says so, as the console and the CLI do.
 */
const aheadOfNow = {
  as_of_after_now: z.boolean().describe('the run settles as of a moment after the request: lines still inside their return window were settled'),
};
const afterNow = (asOf: string, now: number) => Date.parse(asOf) > now;

/** A result file of 100,000 lines is ~5 MB. */
const PAYOUT_RESULTS_LIMIT_BYTES = 32 * 1024 * 1024;

/** RFC 7240: `Prefer: respond-async` (among other preferences) asks for the answer before the work is done. */
function prefersAsync(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((preference) => preference.split(';')[0]!.trim().toLowerCase() === 'respond-async');
}
const currencyQuery = z.object({ currency: z.string().regex(/^[A-Z]{3}$/).default('CNY') });

export async function ledgerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction
  const withdrawalsJson = async (rows: WithdrawalsTable[]) => {
    const names = await partyNames(db, rows.map((w) => ({ kind: w.party_kind, id: w.party_id })));
    return { items: rows.map((w) => withdrawalJson(w, names)) };
  };

  r.get('/api/earnings/summary', {
    schema: { tags: ['earnings'], summary: "The caller's commission by status, what can be withdrawn and what was paid (creator, org, colonel)", querystring: currencyQuery, response: { 200: summarySchema } },
    handler: async (request) => earningsOf(reads, await partyOfUser(reads, requireRole(request, 'creator', 'org', 'colonel')), request.query.currency),
  });

  r.get('/api/operator/overview', {
    schema: {
      tags: ['earnings'],
      summary: "What waits on the operator (unattributed orders, withdrawals to batch, open batches, the settlement schedule) and the platform's service fee by status (operator)",
      querystring: currencyQuery,
      response: {
        200: z.object({
          currency: z.string(),
          platform_fee: z.object({ estimated: z.number().int(), confirmed: z.number().int(), settleable: z.number().int(), settled: z.number().int() }),
          unattributed_orders: z.number().int(),
          withdrawals_requested: z.object({ count: z.number().int(), amount: z.number().int() }),
          open_payout_batches: z.number().int(),
          last_settlement: z.object({ id: z.string(), as_of: z.string(), status: z.string(), finished_at: z.string().nullable(), error: z.string().nullable().describe('why the run stopped, while it waits to be resumed'), active: z.boolean().describe('running and moved within the last two minutes') }).nullable(),
          next_settlement_at: z.string(),
        }),
      },
    },
    handler: async (request) => {
      requireRole(request, 'operator');
      const o = await operatorOverview(reads, request.query.currency);
      return {
        currency: o.currency,
        platform_fee: o.platformFee,
        unattributed_orders: o.unattributedOrders,
        withdrawals_requested: { count: o.withdrawalsRequested.count, amount: o.withdrawalsRequested.amountMinor },
        open_payout_batches: o.openPayoutBatches,
        last_settlement: o.lastSettlement && { id: o.lastSettlement.id, as_of: o.lastSettlement.asOf, status: o.lastSettlement.status, finished_at: o.lastSettlement.finishedAt, error: o.lastSettlement.error, active: o.lastSettlement.active },
        next_settlement_at: o.nextSettlementAt,
      };
    },
  });

  r.get('/api/earnings/daily', {
    schema: {
      tags: ['earnings'],
      summary: "The caller's share of commission by day the orders were paid (Asia/Shanghai days), for a chart",
      querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      response: { 200: z.object({ items: z.array(z.object({ day: z.string(), lines: z.number().int(), amount: z.number().int() })) }) },
    },
    handler: async (request) => ({ items: (await dailyEarningsOf(reads, requireRole(request, 'creator', 'org', 'colonel'), request.query.days)).map((d) => ({ day: d.day, lines: d.lines, amount: d.amountMinor })) }),
  });

  r.get('/api/earnings/by-product', {
    schema: {
      tags: ['earnings'],
      summary: "What sold, product by product, in the last `days` days (Asia/Shanghai): orders, paid, refunded, commission and the caller's part of it (creator, org, colonel); the `limit` products that earned the caller most, and how many there were",
      querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30), limit: z.coerce.number().int().min(1).max(200).default(20) }),
      response: {
        200: z.object({
          products: z.number().int(),
          items: z.array(
            z.object({
              product: z.object({ id: z.string(), title: z.string(), image: z.string().nullable() }).nullable(),
              source: z.object({ id: z.string(), name: z.string(), platform: z.string().nullable() }),
              source_product_id: z.string(),
              orders: z.number().int(),
              paid_amount: z.number().int(),
              refunded_amount: z.number().int(),
              commission: z.number().int(),
              share: z.number().int(),
            }),
          ),
        }),
      },
    },
    handler: async (request) => {
      const { items, products } = await earningsByProduct(reads, requireRole(request, 'creator', 'org', 'colonel'), request.query.days, request.query.limit);
      return {
        products,
        items: items.map((p) => ({
          product: p.product && { id: p.product.id, title: p.product.title, image: p.product.images[0] ?? null },
          source: p.source,
          source_product_id: p.sourceProductId,
          orders: p.orders,
          paid_amount: p.paidMinor,
          refunded_amount: p.refundedMinor,
          commission: p.commissionMinor,
          share: p.shareMinor,
        })),
      };
    },
  });

  r.get('/api/earnings/by-creator', {
    schema: {
      tags: ['earnings'],
      summary: "The organisation's creators by what they sold in the last `days` days (Asia/Shanghai): orders, paid, refunded, commission and the organisation's share (org)",
      querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      response: {
        200: z.object({
          items: z.array(z.object({ creator: z.object({ id: z.string(), name: z.string(), handle: z.string().nullable() }), orders: z.number().int(), paid_amount: z.number().int(), refunded_amount: z.number().int(), commission: z.number().int(), share: z.number().int() })),
        }),
      },
    },
    handler: async (request) => ({
      items: (await earningsByCreator(reads, requireRole(request, 'org'), request.query.days)).map((p) => ({ creator: p.creator, orders: p.orders, paid_amount: p.paidMinor, refunded_amount: p.refundedMinor, commission: p.commissionMinor, share: p.shareMinor })),
    }),
  });

  r.get('/api/statements', {
    schema: {
      tags: ['earnings'],
      summary: 'Settlement statements: my own (creator, org, colonel) or all (operator), newest first, a page at a time',
      querystring: z.object({ settlement: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(1000), cursor: z.string().optional() }),
      response: { 200: z.object({ items: z.array(statementSchema), next_cursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const q = request.query;
      const page = await statementsPage(reads, requireRole(request, 'creator', 'org', 'colonel', 'operator'), { settlementId: q.settlement, limit: q.limit, cursor: q.cursor });
      return { items: page.items.map(statementJson), next_cursor: page.nextCursor };
    },
  });

  r.get('/api/statements/:id', {
    schema: { tags: ['earnings'], summary: 'One statement', params: idParams, response: { 200: statementSchema } },
    handler: async (request) => statementJson(await statementOf(reads, requireRole(request, 'creator', 'org', 'colonel', 'operator'), request.params.id)),
  });

  r.get('/api/statements/:id/lines', {
    schema: {
      tags: ['earnings'],
      summary: 'One statement with its order lines as they were settled, oldest payment first (the first `limit`; the CSV has them all)',
      params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: { 200: z.object({ statement: statementSchema, items: z.array(statementLineSchema) }) },
    },
    handler: async (request) => {
      const { statement, lines } = await statementLines(reads, requireRole(request, 'creator', 'org', 'colonel', 'operator'), request.params.id, request.query.limit);
      return { statement: statementJson(statement), items: lines.map(statementLineJson) };
    },
  });

  r.get('/api/statements/:id/csv', {
    schema: { tags: ['earnings'], summary: 'One statement as CSV: every settled line with the party’s share, then claw-backs and the net', params: idParams },
    handler: async (request, reply) => {
      const { filename, csv } = await statementCsv(reads, requireRole(request, 'creator', 'org', 'colonel', 'operator'), request.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
    },
  });

  r.get('/api/withdrawals', {
    schema: {
      tags: ['payouts'],
      summary: 'Withdrawals, newest first: my own (creator, org, colonel) or the 500 latest (operator); `status=requested` for those waiting for a payout batch',
      querystring: z.object({ status: z.enum(['requested', 'in_batch', 'paid', 'failed']).optional() }),
      response: { 200: z.object({ items: z.array(withdrawalSchema) }) },
    },
    handler: async (request) => withdrawalsJson(await withdrawalsOf(reads, requireRole(request, 'creator', 'org', 'colonel', 'operator'), { status: request.query.status })),
  });

  r.post('/api/withdrawals', {
    schema: {
      tags: ['payouts'],
      summary: 'Ask to withdraw available money (at least the minimum setting). Honours Idempotency-Key: the same key returns the first withdrawal.',
      headers: z.object({ 'idempotency-key': z.string().max(200).optional() }),
      body: z.object({ amount: z.number().int().positive(), currency: z.string().regex(/^[A-Z]{3}$/).optional(), payee_name: z.string(), payee_account: z.string() }),
      response: { 201: withdrawalSchema },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const row = await requestWithdrawal(db, requireRole(request, 'creator', 'org', 'colonel'), { amountMinor: b.amount, currency: b.currency, payeeName: b.payee_name, payeeAccount: b.payee_account, idempotencyKey: request.headers['idempotency-key'] ?? null });
      reply.status(201);
      return (await withdrawalsJson([row])).items[0]!;
    },
  });

  r.post('/api/withdrawals/:id/paid', {
    schema: { tags: ['payouts'], summary: 'Mark a payout line paid (operator)', params: idParams, response: { 200: withdrawalSchema } },
    handler: async (request) => (await withdrawalsJson([await recordPayout(db, requireRole(request, 'operator'), request.params.id, { paid: true })])).items[0]!,
  });

  r.post('/api/withdrawals/:id/failed', {
    schema: { tags: ['payouts'], summary: 'Mark a payout line failed: the money is available again (operator)', params: idParams, body: z.object({ reason: z.string().min(1).max(500) }), response: { 200: withdrawalSchema } },
    handler: async (request) => (await withdrawalsJson([await recordPayout(db, requireRole(request, 'operator'), request.params.id, { paid: false, reason: request.body.reason })])).items[0]!,
  });

  const batchSchema = z.object({ id: z.string(), status: z.string(), created_at: z.string(), closed_at: z.string().nullable(), withdrawals: z.number().int(), currency: z.string(), amount: z.number().int(), paid: z.number().int(), failed: z.number().int() });
  r.get('/api/payout-batches', {
    schema: { tags: ['payouts'], summary: 'Payout batches (operator)', response: { 200: z.object({ items: z.array(batchSchema) }) } },
    handler: async (request) => {
      requireRole(request, 'operator');
      return { items: (await payoutBatches(reads)).map(({ amount_minor, ...b }) => ({ ...b, amount: amount_minor })) };
    },
  });

  r.post('/api/payout-batches', {
    schema: { tags: ['payouts'], summary: 'Gather every requested withdrawal into a new payout batch (operator)', response: { 201: z.object({ id: z.string(), withdrawals: z.number().int() }) } },
    handler: async (request, reply) => {
      const batch = await createPayoutBatch(db, requireRole(request, 'operator'));
      reply.status(201);
      return batch;
    },
  });

  r.get('/api/payout-batches/:id', {
    schema: {
      tags: ['payouts'],
      summary: 'The lines of a payout batch, in id order, a page at a time (operator)',
      params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(1000), cursor: z.string().optional() }),
      response: { 200: z.object({ items: z.array(withdrawalSchema), next_cursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      requireRole(request, 'operator');
      const page = await withdrawalsInBatchPage(reads, request.params.id, { limit: request.query.limit, cursor: request.query.cursor });
      return { ...(await withdrawalsJson(page.items)), next_cursor: page.nextCursor };
    },
  });

  await app.register(async (uploads) => {
    // The bank's result file arrives as the raw body and is read as it streams.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    uploads.withTypeProvider<ZodTypeProvider>().post('/api/payout-batches/:id/results', {
      bodyLimit: PAYOUT_RESULTS_LIMIT_BYTES,
      schema: {
        tags: ['payouts'],
        summary:
          "Record a payout batch's outcomes from the result file the bank or payment provider returned, sent as the raw body (operator): CSV with `reference` (the withdrawal id of the batch CSV), `outcome` (paid or failed; success/fail and 成功/失败 are read too) and `reason` (required for a failure). Good rows are recorded, each bad one reported; a line given the outcome it has is unchanged, so the same file can be sent again",
        params: idParams,
        response: {
          200: z.object({
            paid: z.number().int(),
            failed: z.number().int(),
            unchanged: z.number().int(),
            rejected: z.array(z.object({ row: z.number().int(), reference: z.string().nullable(), code: z.string(), reason: z.string() })),
          }),
        },
      },
      handler: async (request) => {
        const operator = requireRole(request, 'operator');
        const body = request.body as AsyncIterable<Buffer> | undefined;
        if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') throw new InvalidInput('file_required', 'send the result file as the request body');
        return recordPayoutResults(db, operator, request.params.id, reportRecords(body, 'csv', ['reference', 'outcome'], 'payout result'));
      },
    });
  });

  r.get('/api/payout-batches/:id/csv', {
    schema: { tags: ['payouts'], summary: 'A payout batch as CSV for the bank or payment provider (operator)', params: idParams },
    handler: async (request, reply) => {
      requireRole(request, 'operator');
      const csv = payoutCsv(await withdrawalsInBatch(reads, request.params.id));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="payout-${request.params.id}.csv"`).send(csv);
    },
  });

  r.get('/api/settlements', {
    schema: { tags: ['payouts'], summary: 'Settlement runs, newest first (operator)', response: { 200: z.object({ items: z.array(settlementRunSchema) }) } },
    handler: async (request) => {
      requireRole(request, 'operator');
      return { items: await settlementRuns(reads) };
    },
  });

  r.get('/api/settlements/:id', {
    schema: { tags: ['payouts'], summary: 'One settlement run: where it stands and its lines so far, to follow a run started with `Prefer: respond-async` (operator)', params: idParams, response: { 200: settlementRunSchema } },
    handler: async (request) => {
      requireRole(request, 'operator');
      return settlementRun(reads, request.params.id);
    },
  });

  // Runs started here in the background, stopped after their batch in hand when the server closes
  // (the run waits, resumable, for the next call or the monthly schedule).
  const background = new Set<StartedSettlement>();
  app.addHook('onClose', async () => {
    for (const started of background) started.stop();
    await Promise.allSettled([...background].map((started) => started.done));
  });

  r.post('/api/settlements', {
    schema: {
      tags: ['payouts'],
      summary: 'Run a settlement as of a date (default now), as `vitrine settle` does (operator). A run already going is joined (resumed: true). With `Prefer: respond-async` the answer is 202 once the run is recorded, and the run goes on: follow it at its Location',
      body: z.object({ as_of: z.string().optional() }).nullish(),
      headers: z.object({ prefer: z.string().optional() }),
      response: {
        201: settlementResultSchema.extend(aheadOfNow),
        202: z.object({ settlement_id: z.string(), as_of: z.string(), resumed: z.boolean(), status: z.literal('running'), ...aheadOfNow }),
      },
    },
    handler: async (request, reply) => {
      const operator = requireRole(request, 'operator');
      // One clock reading: "now" by default, and what as_of_after_now compares against.
      const at = new Date();
      const now = at.getTime();
      const asOf = parseAsOf(request.body?.as_of, at);
      const started = startSettlement(db, { asOf, startedBy: operator.id });
      const stopped = (err: unknown) => request.log.error({ err: err instanceof SettlementStopped && err.cause !== undefined ? err.cause : err, details: err instanceof SettlementStopped ? err.details : undefined }, 'settlement run stopped');
      if (!prefersAsync(request.headers.prefer)) {
        const summary = await started.done.catch((err: unknown) => {
          stopped(err);
          throw err;
        });
        reply.status(201);
        return { ...summary, as_of_after_now: afterNow(summary.as_of, now) };
      }
      background.add(started);
      started.done
        .then((summary) => request.log.info({ settlement: summary.settlement_id, lines: summary.lines }, 'settlement run done'), stopped)
        .finally(() => background.delete(started));
      const { run, resumed } = await started.begun;
      reply.status(202).header('location', `/api/settlements/${run.id}`).header('preference-applied', 'respond-async');
      return { settlement_id: run.id, as_of: run.as_of, resumed, status: 'running' as const, as_of_after_now: afterNow(run.as_of, now) };
    },
  });

  r.get('/api/settings/ledger', {
    schema: { tags: ['payouts'], summary: 'Money settings: service fee, windows, minimum withdrawal, settlement schedule (operator)', response: { 200: ledgerSettingsSchema } },
    handler: async (request) => {
      requireRole(request, 'operator');
      return ledgerSettings(reads);
    },
  });

  r.put('/api/settings/ledger', {
    schema: { tags: ['payouts'], summary: 'Change money settings (operator; audited by the settings history)', body: ledgerSettingsSchema.partial(), response: { 200: ledgerSettingsSchema } },
    handler: async (request) => {
      requireRole(request, 'operator');
      return updateLedgerSettings(db, request.body);
    },
  });
}
