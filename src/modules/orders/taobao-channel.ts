import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Conflict, DomainError, Forbidden, InvalidInput } from '../../core/errors.ts';
import type { Database } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { findUserById } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { settingValue, settingValueOrInsert } from '../links/store.ts';
import { ConnectorError } from '../sources/connectors/common.ts';
import { registerTaobaoChannel, taobaoAuthorizeUrl, taobaoSessionOfCode } from '../sources/connectors/taobao-channel.ts';
import { findSource } from '../sources/service.ts';
import { addPosition, type Position } from './positions.ts';

type Q = Kysely<Database>;

/**
 * 渠道备案 from the console: the creator authorises our app on Taobao, and the relation id Taobao
 * issues them is recorded as their `relation` position for that source (see
 * sources/connectors/taobao-channel.ts for Taobao's side). Who is registering, for which source,
 * travels in the OAuth `state`, signed, so a forged or stale one is refused; the browser that
 * comes back must also be signed in as that creator.
 */
const STATE_SECRET_KEY = 'taobao_channel_state_secret';
const STATE_VALID_MS = 15 * 60_000;

interface ChannelState {
  creatorId: string;
  sourceId: string;
  expiresAtMs: number;
}

async function stateSecret(db: Q): Promise<Buffer> {
  const stored = (await settingValue(db, STATE_SECRET_KEY)) ?? (await settingValueOrInsert(db, STATE_SECRET_KEY, randomBytes(32).toString('base64url')));
  return Buffer.from(stored, 'base64url');
}

function signed(payload: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function stateOf(state: ChannelState, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify([state.creatorId, state.sourceId, state.expiresAtMs])).toString('base64url');
  return `${payload}.${signed(payload, secret)}`;
}

function readState(text: string, secret: Buffer, nowMs: number): ChannelState {
  const [payload = '', signature = ''] = text.split('.');
  const expected = Buffer.from(signed(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidInput('invalid_state', 'the authorisation came back with a state this server did not issue');
  const [creatorId, sourceId, expiresAtMs] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, number];
  if (expiresAtMs < nowMs) throw new InvalidInput('authorization_expired', 'the authorisation took too long: start again');
  return { creatorId, sourceId, expiresAtMs };
}

/** The Taobao source and its connection, refused with a code the console can say when it cannot register channels. */
async function registrableSource(db: Q, sourceId: string) {
  const source = await findSource(db, sourceId);
  if (source.platform !== 'taobao' || !source.enabled) throw new InvalidInput('not_a_taobao_source', 'channels are registered with an enabled Taobao source');
  const connection = await db.selectFrom('source_connections').select(['app_key', 'app_secret', 'base_url', 'inviter_code']).where('source_id', '=', sourceId).executeTakeFirst();
  if (!connection?.inviter_code) throw new InvalidInput('no_inviter_code', 'this Taobao source has no inviter code (渠道邀请码) set by the operator');
  return { source, connection: { ...connection, inviter_code: connection.inviter_code } };
}

/** Where the creator is sent to authorise; Taobao sends them back to `callbackUrl`. */
export async function taobaoChannelAuthorizeUrl(db: Q, creator: User, sourceId: string, callbackUrl: string, nowMs = Date.now()): Promise<string> {
  if (creator.role !== 'creator') throw new Forbidden();
  const { connection } = await registrableSource(db, sourceId);
  const state = stateOf({ creatorId: creator.id, sourceId, expiresAtMs: nowMs + STATE_VALID_MS }, await stateSecret(db));
  return taobaoAuthorizeUrl({ appKey: connection.app_key, redirectUri: callbackUrl, state, baseUrl: connection.base_url });
}

export interface RegisteredChannel {
  position: Position;
  /** Taobao knew the account as a channel already, or the relation id was recorded here already. */
  already: boolean;
}

/**
 * What the OAuth page sent back (`code`, or `error` when the creator declined): the code is
 * exchanged for their Taobao session, the account registered as a channel, and the relation id
 * recorded for the creator named in the state. A relation id already recorded for that creator is
 * kept as it is; one recorded for another creator is refused.
 */
export async function registerTaobaoChannelFrom(
  db: Q,
  returned: { state: string; code?: string; error?: string },
  signedIn: User | null,
  options: { fetch?: typeof fetch; nowMs?: number } = {},
): Promise<RegisteredChannel> {
  const state = readState(returned.state, await stateSecret(db), options.nowMs ?? Date.now());
  // The browser that comes back must be signed in as the creator who started: else someone could
  // send another person through their own authorise link and have that person's Taobao account
  // registered as their channel.
  if (signedIn?.id !== state.creatorId) throw new InvalidInput('authorization_other_session', 'the authorisation came back to a browser not signed in as the creator who started it');
  if (returned.error || !returned.code) throw new InvalidInput('authorization_declined', `Taobao did not authorise: ${returned.error ?? 'no code'}`);
  const creator = await findUserById(db, state.creatorId);
  if (!creator || creator.role !== 'creator') throw new Forbidden();
  const { connection } = await registrableSource(db, state.sourceId);
  const call = { appKey: connection.app_key, appSecret: connection.app_secret, baseUrl: connection.base_url ?? undefined, fetch: options.fetch ?? fetch };
  let channel;
  let nick: string | null;
  try {
    const session = await taobaoSessionOfCode(call, returned.code);
    nick = session.userNick;
    channel = await registerTaobaoChannel(call, session.accessToken, connection.inviter_code, `vitrine ${creator.handle ?? creator.id}`);
  } catch (error) {
    if (error instanceof ConnectorError) throw new DomainError(502, 'platform_error', error.message);
    throw error;
  }
  const recorded = await db.selectFrom('positions').selectAll().where('sub_id', '=', channel.relationId).executeTakeFirst();
  if (recorded) {
    if (recorded.creator_id !== creator.id) throw new Conflict('sub_id_taken', `relation id ${channel.relationId} is recorded for another creator`);
    return { position: recorded, already: true };
  }
  const position = await addPosition(db, creator, { subId: channel.relationId, sourceId: state.sourceId, label: channel.accountName ?? nick, kind: 'relation' });
  await recordAudit(db, creator.id, 'position.taobao_channel_registered', state.sourceId, { relation_id: channel.relationId, already_registered: channel.alreadyRegistered });
  return { position, already: channel.alreadyRegistered };
}
