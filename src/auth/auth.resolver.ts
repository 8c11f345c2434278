import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { Payload } from '../graphql/user-error';
import { OrgUnit } from '../organisation/org-unit.type';
import { ApiKey, Viewer } from './api-key.type';
import { createApiKey, revokeApiKey } from './api-key.service';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

@InputType()
class ApiKeyCreateInput {
  @Field() name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String, { nullable: true, description: 'Required for TEAM_MANAGER: the unit whose subtree the key may see and write.' })
  scopeOrgUnitCode?: string | null;
}

@ObjectType()
class ApiKeyCreatePayload extends Payload {
  @Field(() => ApiKey, { nullable: true }) apiKey!: ApiKey | null;
  @Field(() => String, { nullable: true, description: 'The key itself: shown this once, stored only as a hash.' }) secret!: string | null;
}

@InputType()
class ApiKeyRevokeInput {
  @Field(() => ID) id!: string;
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

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'For a TEAM_MANAGER: the unit whose subtree it may see in full.' })
  scopeOrgUnit(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return viewer.scopeOrgUnitId === null ? null : orgUnitLoaders(ctx).orgUnitById.load(viewer.scopeOrgUnitId);
  }

  @Mutation(() => ApiKeyCreatePayload, { description: 'ADMIN only.' })
  async apiKeyCreate(@Arg('input') input: ApiKeyCreateInput, @Ctx() ctx: RequestContext): Promise<ApiKeyCreatePayload> {
    const result = await createApiKey(ctx, input);
    return { apiKey: result.value?.apiKey ?? null, secret: result.value?.secret ?? null, userErrors: result.userErrors };
  }

  @Mutation(() => ApiKeyRevokePayload, { description: 'ADMIN only. The key stops working at once.' })
  async apiKeyRevoke(@Arg('input') input: ApiKeyRevokeInput, @Ctx() ctx: RequestContext): Promise<ApiKeyRevokePayload> {
    const result = await revokeApiKey(ctx, input.id);
    return { apiKey: result.value, userErrors: result.userErrors };
  }
}
