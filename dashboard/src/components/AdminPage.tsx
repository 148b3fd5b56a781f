'use client';

import { useState } from 'react';
import {
  type Role,
  useAdminPage_AccessQuery,
  useAdminPage_CreateKeyMutation,
  useAdminPage_RevokeKeyMutation,
} from '../generated/graphql';
import { formatTime, visibleId } from '../lib/format';
import { AllowList } from './AllowList';
import { Failure, Loading } from './States';

const ROLES: Role[] = ['PRODUCER', 'ANALYST', 'ADMIN'];

/**
 * What an audit entry's details say, after its target: the entry's id, what
 * it names and why (` · #3 · network 81.2.69.0/24 · “home office” · until …`),
 * or an alert's new note and assignee. Other details are left out.
 */
function auditDetails(details: Record<string, unknown> | null | undefined): string {
  if (!details) return '';
  const text = (key: string) => {
    const value = details[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  };
  const parts = [
    text('id') === null ? null : `#${text('id')}`,
    text('userId') === null ? null : `user ${visibleId(text('userId') ?? '')}`,
    [text('kind')?.toLowerCase().replaceAll('_', ' '), text('value')].filter(Boolean).join(' ') || null,
    text('reason') === null ? null : `“${text('reason')}”`,
    (text('expiresAt') ?? text('until')) ? `until ${formatTime(text('expiresAt') ?? text('until'))}` : null,
    text('note') === null ? null : `note “${text('note')}”`,
    text('assignee') === null ? null : `assigned to ${text('assignee')}`,
  ];
  const shown = parts.filter(Boolean);
  return shown.length === 0 ? '' : ` · ${shown.join(' · ')}`;
}

/** Admins only (the API refuses everyone else): API keys, the allow-list and the audit log. */
export function AdminPage() {
  const [{ data, error }, reexecute] = useAdminPage_AccessQuery({ requestPolicy: 'network-only' });
  const [creating, create] = useAdminPage_CreateKeyMutation();
  const [revoking, revoke] = useAdminPage_RevokeKeyMutation();
  const [role, setRole] = useState<Role>('PRODUCER');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ key: string; prefix: string; role: Role } | null>(null);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  if (error && !data) return <Failure error={error} />;
  if (!data) return <Loading what="keys" />;
  return (
    <div className="admin-page">
      <h1>Keys and audit</h1>
      <section className="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title">New API key</h2>
        <form
          className="new-key-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const result = await create({ role, name: name.trim() || null });
            const made = result.data?.createApiKey;
            if (made) {
              setCreated({ key: made.key, prefix: made.apiKey.prefix, role: made.apiKey.role });
              setName('');
              refresh();
            }
          }}
        >
          <label>
            Role{' '}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r.toLowerCase()}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Name{' '}
            <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="SIEM prod" />
          </label>{' '}
          <button type="submit" disabled={creating.fetching}>
            Create key
          </button>
        </form>
        {creating.error ? <p role="alert">{creating.error.message}</p> : null}
        {created ? (
          <div role="status">
            <p>New {created.role.toLowerCase()} key. Copy it now: it is never shown again.</p>
            <p className="new-key">
              <code data-testid="new-key">{created.key}</code>
            </p>
          </div>
        ) : null}
      </section>

      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        {revoking.error ? <p role="alert">{revoking.error.message}</p> : null}
        <div className="table-wrap">
          <table data-testid="keys">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.apiKeys.map((key) => (
                <tr key={key.id} data-testid="key-row">
                  <th scope="row">
                    <code>{key.prefix}…</code>
                  </th>
                  <td>{key.role.toLowerCase()}</td>
                  <td>{key.name ?? '—'}</td>
                  <td>{formatTime(key.createdAt)}</td>
                  <td>{formatTime(key.lastUsedAt)}</td>
                  <td>
                    {key.revokedAt ? (
                      `revoked ${formatTime(key.revokedAt)}`
                    ) : (
                      <button
                        type="button"
                        disabled={revoking.fetching}
                        aria-label={`Revoke ${key.prefix}`}
                        onClick={async () => {
                          await revoke({ id: key.id });
                          refresh();
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <AllowList onChanged={refresh} />

      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        <ol className="audit" data-testid="audit">
          {data.auditLog.map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.at}>{formatTime(entry.at)}</time> <strong>{entry.action}</strong>{' '}
              {visibleId(entry.target)}
              {auditDetails(entry.details)} <span className="muted">by {entry.actor}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
