/**
 * A collection whose members are kept in last-write order (a write moves a member to the end, as a Set's
 * delete + add would), kept as an append-only log: a write appends the member again with its new stamp,
 * and the entry it had before goes stale (its stamp no longer matches). Moving a member of a linked list
 * touched its neighbours too — cold memory in a big index, on every write of every pod; appending touches
 * only the end of two arrays. Stale entries are dropped when they outnumber the live ones.
 *
 * A member is in the list while the caller counts it in `size`; the caller changes `stamp` on every write
 * (to a value the member never had) and appends the member to each list it stays in or joins.
 *
 * @example
 * const l = new WriteOrderList<{ stamp: number }>()
 * const a = { stamp: 1 }, b = { stamp: 2 }
 * l.size = 2; l.append(a); l.append(b)
 * a.stamp = 3; l.append(a)
 * // live entries, in order: b (stamp 2), a (stamp 3); a's first entry (stamp 1) is stale
 */
export interface Stamped { stamp: number }

export class WriteOrderList<R extends Stamped> {
  /** Entries: `recs[i]` is a live member at this position iff `recs[i].stamp === stamps[i]`. */
  recs: R[] = [];
  stamps: number[] = [];
  /** Live members (kept by the caller). */
  size = 0;

  /** `name`: what the caller's index knows it by (members' records keep their lists, not the names). */
  constructor(readonly name = "") {}

  append(r: R): void {
    if (this.recs.length >= 2 * this.size + 16) this.compact();
    this.recs.push(r);
    this.stamps.push(r.stamp);
  }

  /** Drop the stale entries (order kept). */
  private compact(): void {
    const recs = this.recs, stamps = this.stamps;
    let j = 0;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i]!;
      if (r.stamp !== stamps[i]) continue;
      recs[j] = r;
      stamps[j++] = stamps[i]!;
    }
    recs.length = j;
    stamps.length = j;
  }
}
