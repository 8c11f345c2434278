import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ApiKey } from '../auth/api-key.type';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, toConnection } from '../graphql/connection';
import type { NodeType } from '../graphql/node-types';
import { Payload } from '../graphql/user-error';
import { Measure } from '../measures/measure.type';
import { OrgUnit } from '../organisation/org-unit.type';
import { IntegrationClient, IntegrationClientConnection, INTEGRATION_CLIENT_TYPENAME } from './integration-client.type';
import {
  createIntegrationClient,
  fetchIntegrationClients,
  listIntegrationClients,
  revokeIntegrationClient,
  rotateIntegrationClientKey,
  updateIntegrationClientScope,
} from './integration-client.service';
import { integrationClientLoaders } from './integration-client.loaders';
import { measureLoaders } from '../measures/measure.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

export const INTEGRATION_CLIENT_NODE: NodeType = { typeName: INTEGRATION_CLIENT_TYPENAME, fetch: fetchIntegrationClients };

@ArgsType()
class IntegrationClientsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Include revoked (archived) clients.' }) includeArchived?: boolean | null;
}

@InputType()
class IntegrationClientCreateInput {
  @Field({ description: 'Unique, e.g. "Patient record (RiO)".' }) name!: string;
  @Field({ description: 'The default `source` of the observations it sends, e.g. "rio".' }) sourceSystem!: string;
  @Field(() => [String], { description: 'The measures it may write.' }) measureCodes!: string[];
  @Field(() => [String], { description: 'The org units it may write to, each with its whole subtree.' }) orgUnitCodes!: string[];
}

@ObjectType()
class IntegrationClientCreatePayload extends Payload {
  @Field(() => IntegrationClient, { nullable: true }) integrationClient!: IntegrationClient | null;
  @Field(() => String, { nullable: true, description: 'The client’s key: shown this once, stored only as a hash.' }) secret!: string | null;
}

@InputType()
class IntegrationClientUpdateScopeInput {
  @Field(() => ID) id!: string;
  @Field(() => [String], { description: 'Replaces the measures it may write.' }) measureCodes!: string[];
  @Field(() => [String], { description: 'Replaces the org units (with their subtrees) it may write to.' }) orgUnitCodes!: string[];
  @Field(() => Int, { nullable: true, description: 'The version you read: the update is refused if the client changed since.' }) version?: number | null;
}

@ObjectType()
class IntegrationClientUpdateScopePayload extends Payload {
  @Field(() => IntegrationClient, { nullable: true }) integrationClient!: IntegrationClient | null;
}

@InputType()
class IntegrationClientIdInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class IntegrationClientRotateKeyPayload extends Payload {
  @Field(() => IntegrationClient, { nullable: true }) integrationClient!: IntegrationClient | null;
  @Field(() => String, { nullable: true, description: 'The new key: shown this once. The previous key stopped working.' }) secret!: string | null;
}

@ObjectType()
class IntegrationClientRevokePayload extends Payload {
  @Field(() => IntegrationClient, { nullable: true }) integrationClient!: IntegrationClient | null;
}

@Resolver(() => IntegrationClient)
export class IntegrationClientResolver {
  @Query(() => IntegrationClientConnection, { description: 'ADMIN only: the systems that push observations, oldest first.' })
  async integrationClients(@Args() args: IntegrationClientsArgs, @Ctx() ctx: RequestContext): Promise<IntegrationClientConnection> {
    return toConnection(IntegrationClientConnection, await listIntegrationClients(ctx, args, args));
  }

  @FieldResolver(() => [Measure], { description: 'The measures it may write.' })
  async measures(@Root() client: IntegrationClient, @Ctx() ctx: RequestContext): Promise<Measure[]> {
    const ids = await integrationClientLoaders(ctx).measureIdsByIntegrationClient.load(client.dbId);
    return (await measureLoaders(ctx).measureById.loadMany(ids)).filter((m): m is Measure => m !== null && !(m instanceof Error));
  }

  @FieldResolver(() => [OrgUnit], { description: 'The org units it may write to, each with its subtree.' })
  async orgUnits(@Root() client: IntegrationClient, @Ctx() ctx: RequestContext): Promise<OrgUnit[]> {
    const ids = await integrationClientLoaders(ctx).orgUnitIdsByIntegrationClient.load(client.dbId);
    return (await orgUnitLoaders(ctx).orgUnitById.loadMany(ids)).filter((u): u is OrgUnit => u !== null && !(u instanceof Error));
  }

  @FieldResolver(() => [ApiKey], { description: 'Its keys, newest first: at most one is live; the rest are revoked.' })
  keys(@Root() client: IntegrationClient, @Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return integrationClientLoaders(ctx).apiKeysByIntegrationClient.load(client.dbId);
  }

  @Mutation(() => IntegrationClientCreatePayload, { description: 'ADMIN only. Registers a client and issues its key.' })
  async integrationClientCreate(@Arg('input') input: IntegrationClientCreateInput, @Ctx() ctx: RequestContext): Promise<IntegrationClientCreatePayload> {
    const result = await createIntegrationClient(ctx, input);
    return { integrationClient: result.value?.integrationClient ?? null, secret: result.value?.secret ?? null, userErrors: result.userErrors };
  }

  @Mutation(() => IntegrationClientUpdateScopePayload, { description: 'ADMIN only. Replaces what the client may write; takes effect on its next request.' })
  async integrationClientUpdateScope(@Arg('input') input: IntegrationClientUpdateScopeInput, @Ctx() ctx: RequestContext): Promise<IntegrationClientUpdateScopePayload> {
    const result = await updateIntegrationClientScope(ctx, input);
    return { integrationClient: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => IntegrationClientRotateKeyPayload, {
    description: 'ADMIN only. Issues a new key; the earlier ones stay valid for the rotation overlap (KEY_ROTATION_OVERLAP_HOURS, 24 by default), their revokedAt set to when they stop.',
  })
  async integrationClientRotateKey(@Arg('input') input: IntegrationClientIdInput, @Ctx() ctx: RequestContext): Promise<IntegrationClientRotateKeyPayload> {
    const result = await rotateIntegrationClientKey(ctx, input.id);
    return { integrationClient: result.value?.integrationClient ?? null, secret: result.value?.secret ?? null, userErrors: result.userErrors };
  }

  @Mutation(() => IntegrationClientRevokePayload, { description: 'ADMIN only. Archives the client and revokes its keys; what it wrote stays.' })
  async integrationClientRevoke(@Arg('input') input: IntegrationClientIdInput, @Ctx() ctx: RequestContext): Promise<IntegrationClientRevokePayload> {
    const result = await revokeIntegrationClient(ctx, input.id);
    return { integrationClient: result.value, userErrors: result.userErrors };
  }
}
