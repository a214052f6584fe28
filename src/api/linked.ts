/**
 * An insertion-ordered collection whose members can be moved to the end in O(1): the store's indexes keep
 * their members in last-write order, which a Set/Map gives by `delete` + re-`add` — but V8 leaves a hole in
 * the key's hash chain on every such pair, so a hot key (a pod written over and over in a big label set)
 * made each lookup slower until the table was rehashed. Callers keep the `Link` handles; no hashing here.
 *
 * @example
 * const l = new LinkedList<string>()
 * const a = l.append("a"); l.append("b"); l.moveToEnd(a)
 * [...l] // ["b", "a"]
 */
export interface Link<V> {
  value: V;
  prev: Link<V> | undefined;
  next: Link<V> | undefined;
  list: LinkedList<V>;
}

export class LinkedList<V> {
  head: Link<V> | undefined = undefined;
  tail: Link<V> | undefined = undefined;
  size = 0;

  append(value: V): Link<V> {
    const l: Link<V> = { value, prev: this.tail, next: undefined, list: this };
    if (this.tail) this.tail.next = l;
    else this.head = l;
    this.tail = l;
    this.size++;
    return l;
  }

  /** Move a member to the end (as Set delete + add would). */
  moveToEnd(l: Link<V>): void {
    if (this.tail === l) return;
    // unlink (l is not the tail, so l.next exists)
    if (l.prev) l.prev.next = l.next;
    else this.head = l.next;
    l.next!.prev = l.prev;
    // relink at the end
    l.prev = this.tail;
    l.next = undefined;
    this.tail!.next = l;
    this.tail = l;
  }

  remove(l: Link<V>): void {
    if (l.prev) l.prev.next = l.next;
    else this.head = l.next;
    if (l.next) l.next.prev = l.prev;
    else this.tail = l.prev;
    l.prev = l.next = undefined;
    this.size--;
  }

  *[Symbol.iterator](): IterableIterator<V> {
    for (let l = this.head; l; l = l.next) yield l.value;
  }
}
