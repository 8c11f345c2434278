import type { Feature } from '../server/feature';
import { ApiKeyResolver, AuthResolver } from './auth.resolver';

/** API keys: who is asking (`viewer`), and keys created and revoked by an ADMIN. */
export const authFeature: Feature = { name: 'auth', resolvers: [AuthResolver, ApiKeyResolver] };
