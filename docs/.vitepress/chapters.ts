/**
 * The book's table of contents, in reading order. The sidebar shows the
 * chapters whose file exists, so a chapter appears as soon as it is written.
 */
export interface Chapter {
  readonly slug: string;
  readonly title: string;
}

export const chapters: readonly Chapter[] = [
  { slug: "why-arenas", title: "Why arenas in JavaScript" },
  { slug: "explicit-allocators", title: "Explicit allocators (the Zig idea)" },
  { slug: "bump", title: "The bump arena" },
  { slug: "hashmap", title: "An allocator-aware hash map" },
  { slug: "self-cell", title: "Owner and dependent: self-cell" },
  { slug: "yoke", title: "Projections that keep their source alive: yoke" },
  { slug: "account-cache", title: "Putting it together" },
  { slug: "lru", title: "An LRU cache in an arena" },
  { slug: "arenas-vs-indices", title: "Arenas vs. indices" },
  { slug: "generational-handles", title: "Removing things: generational handles" },
  { slug: "branding", title: "Branding" },
  { slug: "memory-layouts", title: "Other memory layouts" },
  { slug: "workers", title: "Sharing memory with Workers" },
  { slug: "arenas-on-disk", title: "Arenas on disk" },
  { slug: "snapshot-format", title: "The snapshot format" },
  { slug: "when-not", title: "When not to use an arena" },
];

/** The packages, lowest first (lower packages never import higher ones). */
export const packages: readonly { readonly name: string; readonly chapter: string }[] = [
  { name: "bump", chapter: "bump" },
  { name: "hashmap", chapter: "hashmap" },
  { name: "self-cell", chapter: "self-cell" },
  { name: "yoke", chapter: "yoke" },
  { name: "compact-arena", chapter: "arenas-vs-indices" },
  { name: "account-cache", chapter: "account-cache" },
  { name: "lru", chapter: "lru" },
];
