import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';
import { RoleCode } from '../src/modules/identity/roles';
import { connectForScript } from './connect';

/** `npm run token -- --role SOCIAL_WORKER` or `-- --email sw1@haven.example`: a development bearer token. */
async function main() {
  const { values } = parseArgs({ options: { role: { type: 'string' }, email: { type: 'string' }, ttl: { type: 'string' } } });
  if (!values.role === !values.email) throw new Error('usage: npm run token -- --role <ROLE> | --email <address>');
  if (values.role && !(values.role in RoleCode)) throw new Error(`unknown role ${values.role}; roles: ${Object.keys(RoleCode).join(', ')}`);
  const config = loadConfig();
  if (config.oidcIssuer) throw new Error('OIDC_ISSUER is set: tokens come from the identity provider, not this command');
  const { db, close } = await connectForScript(config);
  try {
    const rows: { id: string; email: string }[] = values.role
      ? await db.query(
          `SELECT a.id, a.email FROM account a JOIN account_role r ON r.account_id = a.id
           WHERE r.role_code = $1 AND NOT a.disabled ORDER BY a.email = $2 DESC, a.email LIMIT 1`,
          // The role's demo account (e.g. team.manager@haven.example) when there is one.
          [values.role, `${values.role.toLowerCase().replace(/_/g, '.')}@haven.example`],
        )
      : await db.query(`SELECT id, email FROM account WHERE lower(email) = lower($1) AND NOT disabled`, [values.email]);
    if (!rows.length) throw new Error('no such account: run `npm run seed` first');
    const key = await loadOrCreateDevKey(config.dataDir);
    console.log(await signDevToken(key, config.oidcAudience, rows[0], values.ttl ?? '8h'));
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
