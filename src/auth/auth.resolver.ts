import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Payload } from '../graphql/user-error';
import { payload } from '../editing/payload';
import { OrgUnit } from '../organisation/org-unit.type';
import { ApiKey, Viewer } from './api-key.type';
import { ApiKeyCreateInput, ApiKeyRevokeInput } from './api-key.input';
import { createApiKey, revokeApiKey, trustCodesOfKeys } from './api-key.service';
import DataLoader from 'dataloader';
import { perRequest } from '../graphql/context';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

@ObjectType()
class ApiKeyCreatePayload extends Payload {
  @Field(() => ApiKey, { nullable: true }) apiKey!: ApiKey | null;
  @Field(() => String, { nullable: true, description: 'The key itself: shown this once, stored only as a hash.' }) secret!: string | null;
}

@ObjectType()
class ApiKeyRevokePayload extends Payload {
  @Field(() => ApiKey, { nullable: true }) apiKey!: ApiKey | null;
}

@Resolver(() => Viewer)
export class AuthResolver {
  @Query(() => Viewer, { description: 'The credential making this request.' })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    return Object.assign(new Viewer(), { label: ctx.actor.label, role: ctx.actor.role, scopeOrgUnitId: ctx.actor.scopeOrgUnitId });
  }

  @FieldResolver(() => [String], { nullable: true, description: 'The trusts (ODS codes) this credential reads and writes; null: every trust of the installation.' })
  async trustCodes(@Ctx() ctx: RequestContext): Promise<string[] | null> {
    if (ctx.actor.trustIds === null) return null;
    const trusts = await orgUnitLoaders(ctx).orgUnitById.loadMany([...ctx.actor.trustIds]);
    return trusts.flatMap((t) => (t && !(t instanceof Error) ? [t.code] : [])).sort();
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'For a TEAM_MANAGER: the unit whose subtree it may see in full.' })
  scopeOrgUnit(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return viewer.scopeOrgUnitId === null ? null : orgUnitLoaders(ctx).orgUnitById.load(viewer.scopeOrgUnitId);
  }

  @Mutation(() => ApiKeyCreatePayload, { description: 'ADMIN only.' })
  async apiKeyCreate(@Arg('input', () => ApiKeyCreateInput.type) input: ApiKeyCreateInput, @Ctx() ctx: RequestContext): Promise<ApiKeyCreatePayload> {
    const result = await createApiKey(ctx, input);
    return { apiKey: result.value?.apiKey ?? null, secret: result.value?.secret ?? null, userErrors: result.userErrors };
  }

  @Mutation(() => ApiKeyRevokePayload, { description: 'ADMIN only. The key stops working at once.' })
  async apiKeyRevoke(@Arg('input', () => ApiKeyRevokeInput.type) input: ApiKeyRevokeInput, @Ctx() ctx: RequestContext): Promise<ApiKeyRevokePayload> {
    return payload('apiKey', await revokeApiKey(ctx, input));
  }
}

const keyTrustLoaders = perRequest((ctx) => ({ trustCodes: new DataLoader((ids: readonly number[]) => trustCodesOfKeys(ctx, ids)) }));

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description: 'The trusts (ODS codes) the key reads and writes (an integration key: those of its client’s units); null: every trust.',
  })
  trustCodes(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<string[] | null> {
    return keyTrustLoaders(ctx).trustCodes.load(key.dbId);
  }
}
