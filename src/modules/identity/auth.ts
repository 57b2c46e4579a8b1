import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, JWK, jwtVerify, JWTPayload, SignJWT,
} from 'jose';
import type { Config } from '../../config';

export const DEV_ISSUER = 'haven-dev';
const ALG = 'ES256';

/** A verified token's claims, reduced to what identifies an account. */
export interface Principal {
  accountId?: string;
  email?: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

interface DevKeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

/** The development signing key: generated once under the data directory, never committed, never used in production. */
export async function loadOrCreateDevKey(dataDir: string): Promise<DevKeyFile> {
  const file = path.join(dataDir, 'dev-signing-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  mkdirSync(dataDir, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `dev-${Date.now()}`;
  const key: DevKeyFile = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG },
  };
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}

export async function signDevToken(
  key: DevKeyFile,
  audience: string,
  account: { id: string; email: string },
  ttl: string | number = '8h',
  audienceOverride?: string,
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, ALG);
  return new SignJWT({ email: account.email })
    .setProtectedHeader({ alg: ALG, kid: key.privateJwk.kid })
    .setSubject(account.id)
    .setIssuer(DEV_ISSUER)
    .setAudience(audienceOverride ?? audience)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(privateKey);
}

/**
 * Production: an OIDC issuer (e.g. Microsoft Entra ID) with its JWKS; the account is found by the e-mail claim.
 * Development and test: the generated dev key; the account is the token's subject.
 * `jwtVerify` is given the algorithms allowed, so `alg: none` and HMAC confusion are refused.
 */
export async function createTokenVerifier(config: Config): Promise<TokenVerifier> {
  if (config.oidcIssuer) {
    const issuer = config.oidcIssuer;
    let jwksUrl = config.oidcJwksUrl;
    if (!jwksUrl) {
      const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OIDC discovery failed for ${issuer}: HTTP ${res.status}`);
      jwksUrl = ((await res.json()) as { jwks_uri: string }).jwks_uri;
    }
    const jwks = createRemoteJWKSet(new URL(jwksUrl));
    return {
      async verify(token) {
        const { payload } = await jwtVerify(token, jwks, {
          issuer,
          audience: config.oidcAudience,
          algorithms: ['RS256', 'ES256', 'PS256'],
        });
        return { email: emailClaim(payload, config.oidcEmailClaim) };
      },
    };
  }
  if (config.env === 'production') {
    throw new Error('OIDC_ISSUER must be set in production: the development signing key is not for live use');
  }
  const key = await loadOrCreateDevKey(config.dataDir);
  const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  return {
    async verify(token) {
      const { payload } = await jwtVerify(token, jwks, { issuer: DEV_ISSUER, audience: config.oidcAudience, algorithms: [ALG] });
      return { accountId: payload.sub };
    },
  };
}

function emailClaim(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim] ?? payload.preferred_username ?? payload.upn;
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}
