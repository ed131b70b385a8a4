import type { DataSource } from 'typeorm';
import peerGroupSeed from './seed/peer-groups.json';
import { PeerGroupEntity, PeerGroupMemberEntity } from './entities';

interface SeedMember { key: string; name?: string; fromYear?: number | null; toYear?: number | null }
interface SeedGroup { id: string; name: string; description?: string; ssbRegionCode?: string | null; members: SeedMember[] }

/**
 * Writes the builtin peer groups, replacing earlier builtin definitions so a changed seed file takes effect.
 * User-defined groups (builtin = false) are never touched.
 */
export async function seedBuiltins(ds: DataSource): Promise<void> {
  const groups = (peerGroupSeed as { peerGroups: SeedGroup[] }).peerGroups;
  await ds.transaction(async (em) => {
    for (const group of groups) {
      await em.save(PeerGroupEntity, {
        id: group.id, name: group.name, description: group.description ?? null,
        ssbRegionCode: group.ssbRegionCode ?? null, builtin: true,
      });
      await em.delete(PeerGroupMemberEntity, { groupId: group.id });
      await em.insert(PeerGroupMemberEntity, group.members.map((m) => ({
        groupId: group.id, municipalityKey: m.key, fromYear: m.fromYear ?? null, toYear: m.toYear ?? null,
      })));
    }
  });
}
