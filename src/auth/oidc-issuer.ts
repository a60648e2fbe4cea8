import { createRemoteJWKSet } from 'jose';
import * as client from 'openid-client';
import type { OidcConfig } from '../oidc.config.js';

/**
 * The city's identity provider as the hub knows it: its discovery document
 * (`${issuer}/.well-known/openid-configuration`, fetched once and kept; a failed fetch is tried again on
 * the next use) and its key set. openid-client checks that the document names exactly this issuer.
 */
export class OidcIssuer {
  private configuration?: Promise<client.Configuration>;
  private keys?: ReturnType<typeof createRemoteJWKSet>;

  constructor(readonly config: OidcConfig) {}

  /** The relying party's configuration (server metadata, client id and authentication). */
  discover(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.config.issuer),
        this.config.clientId,
        {
          // Bounded clock skew for the ID token's iat/exp/nbf (OIDC_CLOCK_TOLERANCE_SECONDS).
          [client.clockTolerance]: this.config.clockToleranceSeconds,
          ...(this.config.clientSecret ? { client_secret: this.config.clientSecret } : {}),
        },
        // A public client has no secret: PKCE alone binds the code to this browser.
        this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None(),
        this.config.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /**
   * The provider's signing keys for access tokens (service accounts): jose's remote key set keeps them,
   * fetches again when a token names a key id it does not know (key rotation), but at most every 30 s.
   */
  async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    const metadata = (await this.discover()).serverMetadata();
    if (!metadata.jwks_uri) throw new Error('the identity provider publishes no jwks_uri');
    this.keys = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: 30_000 });
    return this.keys;
  }
}
