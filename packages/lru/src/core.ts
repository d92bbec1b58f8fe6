// An entry's life in the cache: found by `get` (and moved to the front),
// inserted, replaced, removed, and evicted from the least recently used end
// until a new entry fits the arena. The layers below hold the state and the
// entry format (store.ts), the table (table.ts) and the recency list
// (recency.ts); cache.ts adds the public API.
import type { EvictReason, KeyKind, KeyOf, ValueInput, ValueSpec } from "./api.js";
import { CacheBusyError, EntryTooLargeError } from "./errors.js";
import { LONG_LEN_MASK, TTL_FLAG, VALUE_BYTES, blockBytes, entryBlockBytes, headerBytes, headerFor, keyLength, valueLength } from "./meta.js";
import { RecencyList } from "./recency.js";

/**
 * The state and internal operations every {@link ArenaLru} is made of: the
 * table, links and arena, and how entries are found, written, moved and
 * evicted. Not meant to be used on its own (its members are internal); it is
 * exported because `ArenaLru` extends it.
 *
 * @example
 * ```ts
 * import { ArenaLru, LruCore } from "@arenakit/lru";
 * const cache = new ArenaLru({ maxBytes: 1 << 16 });
 * cache instanceof LruCore; // true
 * ```
 */
export abstract class LruCore<K extends KeyKind = "string", V extends ValueSpec = "bytes"> extends RecencyList<K, V> {
  /** @internal `get`'s lookup: counts the hit or miss, removes an expired entry, marks a hit most recently used. */
  protected _hit(key: KeyOf<K>): number {
    if (this._busy !== 0) throw new CacheBusyError("get() reorders the cache and cannot run inside its onEvict callback; use peek()");
    const i = this._lookup(key);
    if (i < 0) {
      this._misses++;
      return -1;
    }
    if (this._ttlCount !== 0 && this._expired(i)) {
      this._remove(i, "expire");
      this._expirations++;
      this._misses++;
      this._mods++;
      return -1;
    }
    this._hits++;
    if (this._head !== i) this._touch(i);
    return i;
  }

  /** @internal Inserts a new entry (the key is absent) as the most recently used, evicting until it fits. */
  protected _insert(key: KeyOf<K>, value: ValueInput<V> | Uint8Array, h: number, klen: number, vlen: number, hdr: number, need: number, expires: number, kind: number): void {
    if (this._count >= this.max) this._evictTail();
    const o = this._alloc(need);
    // SAFETY: need <= _maxNeed, which an empty arena always satisfies, so -1 cannot happen here.
    if (o < 0) throw new EntryTooLargeError(`internal: no room for ${need} bytes in an empty arena`, need, this._maxNeed);
    let i = this._free;
    if (i >= 0) this._free = this._next[i]!;
    else i = this._fresh++;
    this._hash[i] = h;
    this._write(o, key, value, klen, vlen, hdr, expires, kind);
    this._off[i] = o;
    if (this.shared) this._ref[i] = 0;
    this._seqEnd(i);
    this._insertTable(h, i);
    this._pushFront(i);
    this._count++;
  }

  /** @internal inserts an entry read from a snapshot (raw value bytes, absolute deadline or 0); skips one too large for this budget. */
  _restore(key: KeyOf<K>, value: Uint8Array, expires: number): void {
    this._hashKey(key, "load");
    const h = this._h;
    const klen = this._klen;
    const vlen = value.length;
    const hdr = headerFor(klen, vlen, expires !== 0);
    const need = hdr + vlen + klen;
    if (need > this._maxNeed || klen > LONG_LEN_MASK) return;
    const old = this._probe(key, h, klen);
    if (old >= 0) this._remove(old, "delete");
    this._insert(key, value, h, klen, vlen, hdr, need, expires, VALUE_BYTES);
    this._payload += klen + vlen;
    if (expires !== 0) this._ttlCount++;
    this._mods++;
  }

  /** @internal Replaces the value of the entry in slot `i` (same key). */
  protected _replace(i: number, key: KeyOf<K>, value: ValueInput<V>, vlen: number, klen: number, hdr: number, need: number, expires: number): void {
    if (this._onEvict !== undefined) this._emit(i, "set");
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    const oldVlen = valueLength(w, this._u32, o);
    const oldHdr = headerBytes(w);
    this._payload -= klen + oldVlen;
    if (oldHdr === 16) this._ttlCount--;
    // Out of the recency list while room is made, so eviction never picks it;
    // its bytes stay whole until the new block exists (callbacks may peek at it).
    this._unlink(i);
    let no = o;
    const oldBs = blockBytes(oldHdr + oldVlen + klen);
    if (oldBs !== blockBytes(need)) {
      no = this._alloc(need);
      this._seqBegin(i);
      this._entries.free(o, oldBs);
      // SAFETY: -1 means this was the last entry; with its block freed the arena is empty and any entry up to _maxNeed fits.
      if (no < 0) no = this._entries.alloc(blockBytes(need));
    } else {
      this._seqBegin(i);
    }
    this._write(no, key, value, klen, vlen, hdr, expires, this._valueKind);
    this._off[i] = no;
    this._seqEnd(i);
    this._pushFront(i);
  }

  /** @internal Allocates `need` bytes, evicting from the LRU end until it fits; -1 when the recency list ran empty first. */
  protected _alloc(need: number): number {
    const heap = this._entries;
    const bs = blockBytes(need);
    for (;;) {
      const p = heap.alloc(bs);
      if (p >= 0) return p;
      if (this._tail < 0) return -1;
      if (heap.freeBytes >= bs) this._fragEvictions++;
      this._evictTail();
    }
  }

  /** @internal Evicts the least recently used entry (a Worker-referenced one gets a second chance first). */
  protected _evictTail(): void {
    let t = this._tail;
    if (this.shared) {
      const ref = this._ref;
      let chances = this._count;
      while (ref[t] !== 0 && chances-- > 0) {
        // CLOCK: a Worker read this entry since it was last considered; move it to the front instead.
        Atomics.store(ref, t, 0);
        this._touch(t);
        t = this._tail;
      }
    }
    if (this._ttlCount !== 0 && this._expired(t)) {
      this._remove(t, "expire");
      this._expirations++;
    } else {
      this._remove(t, "evict");
      this._evictions++;
    }
  }

  /** @internal */
  protected _emit(i: number, reason: EvictReason): void {
    this._busy++;
    try {
      this._onEvict!(this._view(i), this._key(i), reason);
    } finally {
      this._busy--;
    }
  }

  /** @internal Removes slot `i` entirely. */
  protected _remove(i: number, reason: EvictReason): void {
    if (this._onEvict !== undefined) this._emit(i, reason);
    this._seqBegin(i);
    this._deleteTable(i);
    this._unlink(i);
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    this._payload -= keyLength(w) + valueLength(w, this._u32, o);
    if (w & TTL_FLAG) this._ttlCount--;
    this._entries.free(o, entryBlockBytes(w, this._u32, o));
    this._next[i] = this._free;
    this._free = i;
    this._count--;
  }
}
