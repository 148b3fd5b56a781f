import { GraphQLError } from 'graphql';
import { userIdForLookup } from '../../domain/user-id.ts';
import type { Principal } from '../../services/access.ts';
import type { ApiKeyRecord, AuditRecord } from '../../storage/ports.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

const Role = builder.enumType('Role', {
  description: 'What an API key may do.',
  values: {
    PRODUCER: { value: 'producer', description: 'Ingest events only.' },
    ANALYST: { value: 'analyst', description: 'Read everything and triage alerts.' },
    ADMIN: { value: 'admin', description: 'Everything, including keys, the audit log and deleting data.' },
  } as const,
});

const ApiKeyRef = builder.objectRef<ApiKeyRecord>('ApiKey').implement({
  description: 'An API key as listed: never the key itself, which is shown only when it is created.',
  fields: (t) => ({
    id: t.exposeID('id'),
    prefix: t.exposeString('prefix', { description: 'The key’s first characters, to tell keys apart.' }),
    role: t.field({ type: Role, resolve: (key) => key.role }),
    name: t.exposeString('name', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (key) => new Date(key.createdAt) }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Updated at most once a minute.',
      resolve: (key) => (key.lastUsedAt === null ? null : new Date(key.lastUsedAt)),
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (key) => (key.revokedAt === null ? null : new Date(key.revokedAt)),
    }),
  }),
});

const CreatedApiKeyRef = builder.objectRef<{ key: string; apiKey: ApiKeyRecord }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The key. Store it now: it cannot be shown again.' }),
    apiKey: t.field({ type: ApiKeyRef, resolve: (created) => created.apiKey }),
  }),
});

const AuditEntryRef = builder.objectRef<AuditRecord>('AuditEntry').implement({
  description: 'One audited action: an admin’s, or an analyst’s triage or scoring correction.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.field({ type: 'DateTime', resolve: (entry) => new Date(entry.at) }),
    actor: t.exposeString('actor', { description: '`key:<id> (<prefix>)`, `cli`, `open-access` or `retention`.' }),
    action: t.exposeString('action', {
      description:
        'key.created, key.revoked, user.deleted, retention.purged; triage: alert.<status>, alert.annotated; scoring corrections: trust.created, trust.removed, allow.created, allow.removed, feedback.false_positive, feedback.undone.',
    }),
    target: t.exposeString('target'),
    details: t.field({ type: 'JSONObject', nullable: true, resolve: (entry) => entry.details }),
  }),
});

const DeletedUserRef = builder.objectRef<{ userId: string; events: number }>('DeletedUser').implement({
  fields: (t) => ({
    userId: t.exposeID('userId'),
    events: t.exposeInt('events', { description: 'Events deleted with the user.' }),
  }),
});

/** The principal of a scoped field (scope auth has already refused everyone else). */
function caller(ctx: Context): Principal {
  if (ctx.principal === null)
    throw new GraphQLError('an API key is required', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.principal;
}

function notFound(what: string, id: string | number): GraphQLError {
  return new GraphQLError(`no ${what} '${id}'`, { extensions: { code: 'NOT_FOUND', field: 'id' } });
}

const MAX_AUDIT_PAGE = 500;

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: 'Every API key, revoked ones included, oldest first. Admin only.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => ctx.admin.listKeys(),
  }),
);

builder.queryField('auditLog', (t) =>
  t.field({
    type: [AuditEntryRef],
    description: 'Admin actions, newest first. Admin only.',
    authScopes: { admin: true },
    args: {
      first: t.arg.int({ required: false, defaultValue: 100, description: `At most ${MAX_AUDIT_PAGE}.` }),
      before: t.arg.id({ required: false, description: 'Only entries older than this id.' }),
    },
    resolve: (_root, args, ctx) => {
      const first = args.first ?? 100;
      if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
        throw new GraphQLError(`first must be 1 to ${MAX_AUDIT_PAGE}`, {
          extensions: { code: 'BAD_USER_INPUT', field: 'first' },
        });
      }
      const before = args.before == null ? undefined : Number(args.before);
      if (before !== undefined && !Number.isSafeInteger(before)) {
        throw new GraphQLError('before must be an audit entry id', {
          extensions: { code: 'BAD_USER_INPUT', field: 'before' },
        });
      }
      return ctx.admin.auditLog(first, before);
    },
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKeyRef,
    description: 'Creates an API key and returns it, the only time it is shown. Admin only; audited.',
    authScopes: { admin: true },
    args: {
      role: t.arg({ type: Role, required: true }),
      name: t.arg.string({ required: false, description: 'What the key is for, up to 100 characters.' }),
    },
    resolve: async (_root, args, ctx) => {
      const name = args.name?.trim() || null;
      if (name !== null && name.length > 100) {
        throw new GraphQLError('name is longer than 100 characters', {
          extensions: { code: 'BAD_USER_INPUT', field: 'name' },
        });
      }
      const { key, record } = await ctx.admin.createKey(caller(ctx), args.role, name);
      return { key, apiKey: record };
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Revokes a key at once (within 5 seconds for a key revoked by the CLI). Admin only; audited.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = Number(args.id);
      const revoked = Number.isSafeInteger(id) ? await ctx.admin.revokeKey(caller(ctx), id) : null;
      if (revoked === null) throw notFound('API key', args.id);
      return revoked;
    },
  }),
);

builder.mutationField('deleteUser', (t) =>
  t.field({
    type: DeletedUserRef,
    description:
      'Deletes everything stored about a user: events, habits, risk profile and alerts. Admin only; audited. Events ingested afterwards start a new history.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const userId = userIdForLookup(String(args.id));
      const deleted = await ctx.admin.deleteUser(caller(ctx), userId);
      if (deleted === null) throw notFound('user', userId);
      return { userId, events: deleted.events };
    },
  }),
);

const ViewerRef = builder
  .objectRef<{ role: 'producer' | 'analyst' | 'admin'; prefix: string | null; open: boolean }>('Viewer')
  .implement({
    description: 'Who the API takes the caller to be.',
    fields: (t) => ({
      role: t.field({ type: Role, resolve: (viewer) => viewer.role }),
      keyPrefix: t.exposeString('prefix', {
        nullable: true,
        description: 'The prefix of the key in use; null while the API runs open.',
      }),
      open: t.exposeBoolean('open', { description: 'The API runs without keys: everybody is admin.' }),
    }),
  });

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description: 'The caller’s role, for any valid key (producers included): how a client learns what it may do.',
    skipTypeScopes: true,
    authScopes: { $any: { ingest: true, read: true } },
    resolve: (_root, _args, ctx) => {
      const principal = caller(ctx);
      return { role: principal.role, prefix: principal.prefix, open: principal.keyId === null };
    },
  }),
);
