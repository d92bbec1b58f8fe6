//! The explicit-allocator pattern in Rust: the caller owns an arena and
//! passes it to the code that allocates. Each section prints what it checks
//! as `name=value` lines, which docs/test/rust.test.ts asserts.

use bumpalo::collections::Vec as BumpVec;
use bumpalo::Bump;
use hashbrown::hash_map::DefaultHashBuilder;
use hashbrown::{BumpWrapper, HashMap};

// #region account
/// A record that borrows every byte it has from an arena: the lifetime `'a`
/// is the arena's, so no account can outlive it.
#[derive(Clone, Copy, Debug)]
struct Account<'a> {
    owner: &'a str,
    data: &'a [u8],
    index: u64,
}
// #endregion account

// #region explicit
/// Takes the allocator as an argument, like a Zig function taking
/// `std.mem.Allocator`: the caller decides where the names live.
fn upper_names<'a>(arena: &'a Bump, names: &[&str]) -> BumpVec<'a, &'a str> {
    let mut out = BumpVec::with_capacity_in(names.len(), arena);
    for name in names {
        out.push(&*arena.alloc_str(&name.to_uppercase()));
    }
    out
}
// #endregion explicit

// #region map-in-arena
/// The map's table and every key and value live in `arena`. (hashbrown 0.12,
/// the version Debian ships, takes the arena wrapped in `BumpWrapper`.)
type Accounts<'a> = HashMap<&'a str, Account<'a>, DefaultHashBuilder, BumpWrapper<'a>>;

fn insert<'a>(
    arena: &'a Bump,
    map: &mut Accounts<'a>,
    id: &str,
    owner: &str,
    index: u64,
    data: &[u8],
) {
    let id = arena.alloc_str(id);
    let owner = arena.alloc_str(owner);
    let data = arena.alloc_slice_copy(data);
    map.insert(id, Account { owner, data, index });
}
// #endregion map-in-arena

fn main() {
    // #region first-chunk
    let mut arena = Bump::new();
    arena.alloc(1u8);
    // bumpalo starts small and doubles: the first chunk is well under 1 KiB.
    println!("first_chunk_bytes={}", arena.allocated_bytes());
    // #endregion first-chunk

    // #region use
    let names = upper_names(&arena, &["rusty", "sparky"]);
    println!("names={}", names.join(","));

    let mut map: Accounts = HashMap::new_in(BumpWrapper(&arena));
    insert(&arena, &mut map, "acct-rusty", "Rusty-03", 7, &[1, 2, 3, 4]);
    insert(&arena, &mut map, "acct-sparky", "Sparky-11", 11, &[0, 3, 6, 9, 12]);
    let a = map.get("acct-sparky").copied().expect("inserted above");
    println!("owner={} index={} data_len={}", a.owner, a.index, a.data.len());
    println!("accounts={}", map.len());
    // #endregion use

    // #region many
    for i in 0..10_000u64 {
        let id = format!("acct-{i}");
        insert(&arena, &mut map, &id, "Owner", i, &[0; 16]);
    }
    println!("accounts_after_fill={}", map.len());
    let grown = arena.allocated_bytes();
    println!("grew={}", grown > 64 * 1024);
    // #endregion many

    // #region reset
    // Freeing is one call for the whole arena. The borrow checker insists the
    // map and the names are gone first: they borrow from `arena`.
    drop(map);
    drop(names);
    arena.reset();
    // reset() keeps only the last, largest chunk for reuse.
    println!("kept_after_reset={}", arena.allocated_bytes() <= grown);
    println!("reused={}", arena.allocated_bytes() > 0);
    // #endregion reset
}
