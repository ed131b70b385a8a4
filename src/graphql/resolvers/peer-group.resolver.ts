import 'reflect-metadata';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { BadInputError, UnauthenticatedError } from '../../errors';
import { adHocGroup } from '../../services/subjects';
import { toPeerGroup } from '../mappers';
import { PeerGroup } from '../types/dimension.types';

const ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

/** Operators save the analysts' groups ("nabokommuner", "kommuner på vår størrelse") so every front-end can name them. */
@Resolver()
export class PeerGroupResolver {
  @Mutation(() => PeerGroup, { description: 'Save (or replace) a peer group of your own under an id; it is then accepted wherever a peer group is (peerGroup: "<id>"). Requires `Authorization: Bearer <ADMIN_TOKEN>`. The shipped groups cannot be replaced.' })
  async savePeerGroup(
    @Ctx() ctx: AppContext,
    @Arg('id', { description: 'Lower-case letters, digits and hyphens, 2–64 characters, e.g. "nabokommuner-baerum".' }) id: string,
    @Arg('name') name: string,
    @Arg('members', () => [String], { description: 'Names, stable keys or codes of 2 to 100 municipalities.' }) members: string[],
    @Arg('description', () => String, { nullable: true }) description?: string | null,
  ): Promise<PeerGroup> {
    const writer = this.writer(ctx);
    if (!ID.test(id)) throw new BadInputError(`id "${id}": use 2–64 lower-case letters, digits and hyphens, starting with a letter or digit`, { argument: 'id' });
    if (await writer.isBuiltin(id)) throw new BadInputError(`id "${id}" is a shipped peer group; save yours under another id`, { argument: 'id' });
    if (description && description.length > 500) throw new BadInputError('description: at most 500 characters', { argument: 'description' });
    const group = adHocGroup(ctx.snapshot, { name, members }, 'savePeerGroup');
    await writer.save({ id, name: group.name, description: description ?? null, members: group.members.map((m) => m.municipalityKey) });
    return toPeerGroup({ ...group, id, description: description ?? null }, ctx.snapshot);
  }

  @Mutation(() => Boolean, { description: 'Delete a saved peer group. Requires `Authorization: Bearer <ADMIN_TOKEN>`; the shipped groups cannot be deleted. False when there was no such saved group.' })
  async deletePeerGroup(@Ctx() ctx: AppContext, @Arg('id') id: string): Promise<boolean> {
    const writer = this.writer(ctx);
    if (await writer.isBuiltin(id)) throw new BadInputError(`id "${id}" is a shipped peer group and cannot be deleted`, { argument: 'id' });
    return writer.delete(id);
  }

  private writer(ctx: AppContext) {
    if (!ctx.isAdmin) throw new UnauthenticatedError('saving peer groups needs the header "Authorization: Bearer <ADMIN_TOKEN>" with the token the server was started with');
    if (!ctx.peerGroups) throw new BadInputError('this process does not save peer groups', {});
    return ctx.peerGroups;
  }
}
