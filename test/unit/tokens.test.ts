import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService } from '../../src/auth/tokens.js';
import { Role } from '../../src/domain/enums.js';

const service = () =>
  new TokenService({
    jwtSecret: randomBytes(48).toString('base64url'),
    jwtSecretGenerated: false,
    tokenTtlSeconds: 3600,
    accessCacheTtlMs: 0,
    loginMaxFailures: 5,
    loginBlockSeconds: 60,
    serviceAccounts: new Map(),
    session: { maxAgeSeconds: 3600, passwordLogin: true },
  });

const claims = { accountId: randomUUID(), organisationId: randomUUID(), roles: [Role.PARTNER_STAFF] };

afterEach(() => {
  vi.useRealTimers();
});

describe('token verification with the verified-token cache', () => {
  it('answers a known token from the cache and still refuses it once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = service();
    const { token } = await tokens.sign(claims, 60);
    expect(await tokens.verify(token)).toMatchObject(claims);
    expect(await tokens.verify(token)).toMatchObject(claims);
    vi.setSystemTime(Date.now() + 61_000);
    await expect(tokens.verify(token)).rejects.toThrow(/expired/);
    await expect(tokens.verify(token)).rejects.toThrow(/expired/);
  });

  it('never lets a changed token ride on a cached one', async () => {
    const tokens = service();
    const { token } = await tokens.sign(claims);
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.roles = [Role.ADMIN];
    const tampered = [header, Buffer.from(JSON.stringify(forged)).toString('base64url'), signature].join('.');
    await expect(tokens.verify(tampered)).rejects.toThrow();
    const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    await expect(tokens.verify(flipped)).rejects.toThrow();
  });

  it('does not share verified tokens between services with different keys', async () => {
    const { token } = await service().sign(claims);
    const other = service();
    await expect(other.verify(token)).rejects.toThrow();
  });
});
