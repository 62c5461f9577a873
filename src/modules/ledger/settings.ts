import type { Kysely } from 'kysely';
import { z } from 'zod';
import { InvalidInput } from '../../core/errors.ts';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database>;

/**
 * The money settings an operator can change (PUT /api/settings/ledger), kept in `settings` under
 * `ledger.<name>`. Defaults: a 10% platform service fee (Douyin's 精选联盟 technical service fee is
 * of that order), a 7-day attribution and return window, ¥10 minimum withdrawal, and a monthly
 * settlement on the 1st at 02:00 Asia/Shanghai.
 */
export const ledgerSettingsSchema = z.object({
  platform_fee_bps: z.number().int().min(0).max(10_000),
  attribution_window_days: z.number().int().min(1).max(90),
  return_window_days: z.number().int().min(0).max(90),
  withdrawal_minimum_minor: z.number().int().min(1),
  settlement_day_of_month: z.number().int().min(1).max(28),
  settlement_hour: z.number().int().min(0).max(23),
});
export type LedgerSettings = z.infer<typeof ledgerSettingsSchema>;

export const DEFAULT_LEDGER_SETTINGS: LedgerSettings = {
  platform_fee_bps: 1000,
  attribution_window_days: 7,
  return_window_days: 7,
  withdrawal_minimum_minor: 1000,
  settlement_day_of_month: 1,
  settlement_hour: 2,
};

const PREFIX = 'ledger.';

export async function ledgerSettings(db: Q): Promise<LedgerSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'like', `${PREFIX}%`).execute();
  const out: LedgerSettings = { ...DEFAULT_LEDGER_SETTINGS };
  for (const { key, value } of rows) {
    const name = key.slice(PREFIX.length) as keyof LedgerSettings;
    if (name in out && /^\d+$/.test(value)) out[name] = Number(value);
  }
  return out;
}

export async function updateLedgerSettings(db: Q, patch: Partial<LedgerSettings>): Promise<LedgerSettings> {
  const parsed = ledgerSettingsSchema.partial().safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInput('invalid_setting', `${issue.path.join('.')}: ${issue.message}`);
  }
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    await db
      .insertInto('settings')
      .values({ key: `${PREFIX}${name}`, value: String(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(value) }))
      .execute();
  }
  return ledgerSettings(db);
}
