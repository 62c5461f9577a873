import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformDayOf } from '../../core/time.ts';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { calendarDateSchema, shareBpsSchema, type Invitation, type Membership } from './model.ts';
import * as orgs from './service.ts';

const ref = z.object({ id: z.string(), name: z.string() });
const creatorRef = ref.extend({ handle: z.string().nullable() });

const invitationSchema = z.object({
  id: z.string(),
  organisation: ref,
  creator: creatorRef,
  share_bps: z.number().int(),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'declined', 'cancelled']),
  created_at: z.string(),
});

const membershipSchema = z.object({
  id: z.string(),
  organisation: ref,
  creator: creatorRef,
  share_bps: z.number().int(),
  starts_at: z.string(),
  ends_at: z.string().nullable(),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  status: z.enum(['scheduled', 'active', 'ended']),
});

function invitationJson(i: Invitation): z.infer<typeof invitationSchema> {
  return {
    id: i.id,
    organisation: i.organisation,
    creator: i.creator,
    share_bps: i.shareBps,
    starts_on: platformDayOf(i.startsAt),
    ends_on: i.endsAt === null ? null : platformDayOf(i.endsAt),
    status: i.status,
    created_at: i.createdAt,
  };
}

function membershipJson(m: Membership): z.infer<typeof membershipSchema> {
  return {
    id: m.id,
    organisation: m.organisation,
    creator: m.creator,
    share_bps: m.shareBps,
    starts_at: m.startsAt,
    ends_at: m.endsAt,
    starts_on: platformDayOf(m.startsAt),
    ends_on: m.endsAt === null ? null : platformDayOf(m.endsAt),
    status: m.status,
  };
}

const idParams = z.object({ id: z.string() });
const endBody = z.object({ ends_on: calendarDateSchema });
const items = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });

export async function orgRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  // --- the organisation's side -------------------------------------------------------------
  r.get('/api/org', {
    schema: { tags: ['organisations'], summary: 'The organisation this org account runs', response: { 200: z.object({ id: z.string(), name: z.string(), created_at: z.string() }) } },
    handler: async (request) => {
      const org = await orgs.organisationOf(reads, requireRole(request, 'org'));
      return { id: org.id, name: org.name, created_at: org.createdAt };
    },
  });

  r.get('/api/org/creators', {
    schema: { tags: ['organisations'], summary: 'Creators bound to the organisation now (active or about to start)', response: { 200: items(membershipSchema) } },
    handler: async (request) => ({ items: (await orgs.creatorsOfOrganisation(reads, requireRole(request, 'org'))).map(membershipJson) }),
  });

  r.get('/api/org/creators/:id', {
    schema: { tags: ['organisations'], summary: 'One bound creator (404 unless bound now)', params: idParams, response: { 200: membershipSchema } },
    handler: async (request) => membershipJson(await orgs.boundCreator(reads, requireRole(request, 'org'), request.params.id)),
  });

  r.get('/api/org/invitations', {
    schema: { tags: ['organisations'], summary: 'Invitations the organisation sent', response: { 200: items(invitationSchema) } },
    handler: async (request) => ({ items: (await orgs.invitationsSentBy(reads, requireRole(request, 'org'))).map(invitationJson) }),
  });

  r.post('/api/org/invitations', {
    schema: {
      tags: ['organisations'],
      summary: 'Invite a creator by handle, with the share of their commission the organisation takes',
      body: z.object({ handle: z.string(), share_bps: shareBpsSchema, starts_on: calendarDateSchema, ends_on: calendarDateSchema.nullable().optional() }),
      response: { 201: invitationSchema },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const invitation = await orgs.inviteCreator(db, requireRole(request, 'org'), { handle: b.handle, shareBps: b.share_bps, startsOn: b.starts_on, endsOn: b.ends_on });
      reply.status(201);
      return invitationJson(invitation);
    },
  });

  r.post('/api/org/invitations/:id/cancel', {
    schema: { tags: ['organisations'], summary: 'Withdraw a pending invitation', params: idParams, response: { 200: invitationSchema } },
    handler: async (request) => invitationJson(await orgs.cancelInvitation(db, requireRole(request, 'org'), request.params.id)),
  });

  r.post('/api/org/memberships/:id/end', {
    schema: { tags: ['organisations'], summary: 'End a creator membership from a date (today or later)', params: idParams, body: endBody, response: { 200: membershipSchema } },
    handler: async (request) => membershipJson(await orgs.endMembership(db, requireRole(request, 'org'), request.params.id, request.body.ends_on)),
  });

  // --- the creator's side ------------------------------------------------------------------
  r.get('/api/me/invitations', {
    schema: { tags: ['organisations'], summary: "The creator's invitations", response: { 200: items(invitationSchema) } },
    handler: async (request) => ({ items: (await orgs.invitationsReceivedBy(reads, requireRole(request, 'creator'))).map(invitationJson) }),
  });

  r.post('/api/me/invitations/:id/accept', {
    schema: { tags: ['organisations'], summary: 'Accept an invitation: binds the creator to the organisation', params: idParams, response: { 200: membershipSchema } },
    handler: async (request) => membershipJson(await orgs.acceptInvitation(db, requireRole(request, 'creator'), request.params.id)),
  });

  r.post('/api/me/invitations/:id/decline', {
    schema: { tags: ['organisations'], summary: 'Decline an invitation', params: idParams, response: { 200: invitationSchema } },
    handler: async (request) => invitationJson(await orgs.declineInvitation(db, requireRole(request, 'creator'), request.params.id)),
  });

  r.get('/api/me/memberships', {
    schema: { tags: ['organisations'], summary: "The creator's memberships, newest first (the history is kept)", response: { 200: items(membershipSchema) } },
    handler: async (request) => ({ items: (await orgs.membershipsOfCreator(reads, requireRole(request, 'creator'))).map(membershipJson) }),
  });

  r.post('/api/me/memberships/:id/end', {
    schema: { tags: ['organisations'], summary: 'Leave the organisation from a date (today or later)', params: idParams, body: endBody, response: { 200: membershipSchema } },
    handler: async (request) => membershipJson(await orgs.endMembership(db, requireRole(request, 'creator'), request.params.id, request.body.ends_on)),
  });

  // --- the operator's view -----------------------------------------------------------------
  r.get('/api/admin/organisations', {
    schema: {
      tags: ['admin'],
      summary: 'Every organisation with its admin and bound-creator count (operator)',
      response: { 200: items(z.object({ id: z.string(), name: z.string(), admin: z.object({ id: z.string(), email: z.string(), name: z.string() }), creators: z.number().int(), created_at: z.string() })) },
    },
    handler: async (request) => {
      requireRole(request, 'operator');
      const rows = await orgs.listOrganisations(reads);
      return { items: rows.map((o) => ({ id: o.id, name: o.name, admin: { id: o.adminUserId, email: o.adminEmail, name: o.adminName }, creators: o.activeCreators, created_at: o.createdAt })) };
    },
  });
}
