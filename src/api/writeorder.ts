/**
 * A collection whose members come out in last-write order (the order a Set kept with a delete + add on every
 * write of a member), for the store's indexes (pods by owner, node, label). A write of a member touches nothing
 * here: every member carries the `stamp` of its last write (increasing over all writes), and a read puts the
 * members written since the last read at the end, in stamp order. The entries are an array of members:
 * between reads it may also hold members that left (`has` says no) and, for one that left and came back, two
 * entries; a read (or an add when the stale entries outnumber the live ones) drops them.
 *
 * The caller keeps `size` (the live members) and calls `add` when a member joins, with the member's stamp
 * already the newest of all, before `has` answers yes for it (so an add never finds the joining member live).
 *
 * @example
 * const inL = new Set<object>()
 * const l = new WriteOrderList<{ stamp: number }>("l", (r) => inL.has(r))
 * const a = { stamp: 1 }, b = { stamp: 2 }
 * l.size = 2; l.add(a); l.add(b); inL.add(a); inL.add(b)
 * a.stamp = 3 // a written: nothing else to do
 * l.members() // [b, a]
 */
export interface Stamped { stamp: number }

export class WriteOrderList<R extends Stamped> {
  /** The entries: members, in stamp order up to `orderedTo` (see the header). */
  private recs: R[] = [];
  /** Entries with a stamp up to this are in stamp order, one per member; the rest were written since. */
  private orderedTo = 0;
  /** Live members (kept by the caller). */
  size = 0;

  /** `name`: what the caller's index knows it by; `has`: whether `r` is a member of this list now. */
  constructor(readonly name: string, private readonly has: (r: R, list: WriteOrderList<R>) => boolean) {}

  /** `r` joins (see the header). */
  add(r: R): void {
    if (this.recs.length >= 2 * this.size + 16) this.order();
    this.recs.push(r);
  }

  /** The members in last-write order: the list's own array, to be read before the next write. */
  members(): readonly R[] {
    this.order();
    return this.recs;
  }

  /** Drop the entries of non-members; put the members written since the last ordering last, in stamp order. */
  private order(): void {
    const recs = this.recs, has = this.has, to = this.orderedTo;
    let moved: R[] | undefined;
    let j = 0;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i]!;
      if (!has(r, this)) continue;
      if (r.stamp <= to) recs[j++] = r;
      else (moved ??= []).push(r);
    }
    recs.length = j;
    if (moved === undefined) return;
    moved.sort((a, b) => a.stamp - b.stamp);
    // A member that came back has two entries: the same member twice, side by side (one stamp per member).
    let last: R | undefined;
    for (let i = 0; i < moved.length; i++) if (moved[i] !== last) recs.push((last = moved[i]!));
    this.orderedTo = last!.stamp;
  }
}
