// Track placement (分组): which track a passed entry belongs to. Plain functions over plain data.
//
// A track matches an entry when its industry is null or equals the enterprise's industry, and its
// entry type is null or equals the entry's type. Among the matching tracks the most specific wins
// (both criteria set, then one, then none); ties go to the lowest track id, so the result never
// depends on row order. An entry no track matches is reported as unplaced.

export interface PlacementTrack {
  id: number;
  industry: string | null;
  entryType: string | null;
}

export interface PlacementEntry {
  id: number;
  entryType: string;
  /** The industry of the entry's enterprise (null when the enterprise recorded none). */
  industry: string | null;
}

export interface Placement {
  placed: { entryId: number; trackId: number }[];
  unplaced: number[];
}

const norm = (s: string | null): string | null => (s === null ? null : s.trim());

/** Whether the track accepts the entry. */
export function trackMatches(track: PlacementTrack, entry: PlacementEntry): boolean {
  const industry = norm(track.industry);
  const industryOk = industry === null || industry === '' || industry === norm(entry.industry);
  const typeOk = track.entryType === null || track.entryType === entry.entryType;
  return industryOk && typeOk;
}

/** Number of criteria the track sets: a track that names both is more specific than one naming one. */
export function specificity(track: PlacementTrack): number {
  const industry = norm(track.industry);
  return (industry !== null && industry !== '' ? 1 : 0) + (track.entryType !== null ? 1 : 0);
}

/** The track the entry goes to, or null. */
export function bestTrack(tracks: readonly PlacementTrack[], entry: PlacementEntry): PlacementTrack | null {
  let best: PlacementTrack | null = null;
  for (const track of tracks) {
    if (!trackMatches(track, entry)) continue;
    if (best === null || specificity(track) > specificity(best) || (specificity(track) === specificity(best) && track.id < best.id)) best = track;
  }
  return best;
}

/** Places every entry (ascending by id in the result). */
export function placeEntries(tracks: readonly PlacementTrack[], entries: readonly PlacementEntry[]): Placement {
  const placed: Placement['placed'] = [];
  const unplaced: number[] = [];
  for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
    const track = bestTrack(tracks, entry);
    if (track) placed.push({ entryId: entry.id, trackId: track.id });
    else unplaced.push(entry.id);
  }
  return { placed, unplaced };
}
