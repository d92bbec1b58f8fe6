//! The native anchor of arenakit's benchmarks: the account-cache workload of
//! the TypeScript suite, built the way the source article builds it in Rust
//! (a `bumpalo::Bump` per slot, and a `hashbrown::HashMap` whose table lives
//! in that arena through `new_in`), looked up reading every field, and
//! dropped. The workload comes from a file the TypeScript side writes (the
//! same ids, owners, data and query order as its own cases), so both sides
//! measure exactly the same accounts.
//!
//! Usage: `arenakit-native-anchor <workload file> <build reps> <lookup samples>`;
//! prints one JSON line.

use bumpalo::Bump;
use hashbrown::hash_map::DefaultHashBuilder;
use hashbrown::{BumpWrapper, HashMap};
use std::hint::black_box;
use std::time::Instant;

/// One account as the article stores it: everything borrowed from the slot's arena.
struct Account<'a> {
    owner: &'a str,
    data: &'a [u8],
    index: u64,
}

type Slot<'a> = HashMap<&'a str, Account<'a>, DefaultHashBuilder, BumpWrapper<'a>>;

/// The workload as the TypeScript side wrote it (see benchmarks/src/suites/support/native-anchor.ts).
struct Workload {
    n: usize,
    id_bytes: Vec<u8>,
    id_start: Vec<u32>,
    owners: Vec<String>,
    owner_of: Vec<u8>,
    data_len: Vec<u32>,
    data_off: Vec<u32>,
    source: Vec<u8>,
    queries: Vec<u32>,
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(len).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.at..end];
                self.at = end;
                Ok(s)
            }
            None => Err(format!("workload file ends inside {what}")),
        }
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u32s(&mut self, count: usize, what: &str) -> Result<Vec<u32>, String> {
        let b = self.take(count.checked_mul(4).ok_or_else(|| format!("{what}: count too large"))?, what)?;
        Ok(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
}

const MAGIC: &[u8; 4] = b"AKWL";
const VERSION: u32 = 1;

impl Workload {
    /// Reads and checks a workload file: every offset is checked before use.
    fn parse(buf: &[u8]) -> Result<Workload, String> {
        let mut r = Reader { buf, at: 0 };
        if r.take(4, "the magic")? != MAGIC {
            return Err("not an arenakit workload file (bad magic)".into());
        }
        let version = r.u32("the version")?;
        if version != VERSION {
            return Err(format!("workload file version {version}, expected {VERSION}"));
        }
        let n = r.u32("the account count")? as usize;
        let id_len = r.u32("the id byte count")? as usize;
        let id_bytes = r.take(id_len, "the ids")?.to_vec();
        let id_start = r.u32s(n + 1, "the id offsets")?;
        if id_start[0] != 0 || id_start.windows(2).any(|w| w[0] > w[1]) || id_start[n] as usize != id_len {
            return Err("id offsets are not increasing within the ids".into());
        }
        let owner_count = r.u32("the owner count")? as usize;
        let mut owners = Vec::with_capacity(owner_count);
        for _ in 0..owner_count {
            let len = r.u32("an owner length")? as usize;
            let s = std::str::from_utf8(r.take(len, "an owner")?).map_err(|_| "an owner is not UTF-8".to_string())?;
            owners.push(s.to_string());
        }
        let owner_of = r.take(n, "the owner indices")?.to_vec();
        if owner_of.iter().any(|&o| o as usize >= owner_count) {
            return Err("an owner index is out of range".into());
        }
        let data_len = r.u32s(n, "the data lengths")?;
        let data_off = r.u32s(n, "the data offsets")?;
        let source_len = r.u32("the data source length")? as usize;
        let source = r.take(source_len, "the data source")?.to_vec();
        for i in 0..n {
            if data_off[i] as usize + data_len[i] as usize > source_len {
                return Err(format!("account {i}'s data lies outside the data source"));
            }
        }
        let q = r.u32("the query count")? as usize;
        let queries = r.u32s(q, "the queries")?;
        if queries.iter().any(|&x| x as usize >= n) {
            return Err("a query names an account that does not exist".into());
        }
        if r.at != buf.len() {
            return Err("trailing bytes after the workload".into());
        }
        let w = Workload { n, id_bytes, id_start, owners, owner_of, data_len, data_off, source, queries };
        for i in 0..n {
            std::str::from_utf8(w.id_raw(i)).map_err(|_| format!("id {i} is not UTF-8"))?;
        }
        Ok(w)
    }

    fn id_raw(&self, i: usize) -> &[u8] {
        &self.id_bytes[self.id_start[i] as usize..self.id_start[i + 1] as usize]
    }

    fn data(&self, i: usize) -> &[u8] {
        let off = self.data_off[i] as usize;
        &self.source[off..off + self.data_len[i] as usize]
    }
}

/// Builds one slot in `bump`: each id is checked as UTF-8 from its input bytes
/// (as the TypeScript side decodes it) and copied into the arena with the data;
/// owners are interned once per slot, as arenakit does.
fn build<'a>(bump: &'a Bump, w: &Workload) -> Slot<'a> {
    let owners: Vec<&'a str> = w.owners.iter().map(|o| &*bump.alloc_str(o)).collect();
    let mut map: Slot<'a> = HashMap::new_in(BumpWrapper(bump));
    for i in 0..w.n {
        let id = std::str::from_utf8(w.id_raw(i)).expect("checked when the file was read");
        let id: &'a str = bump.alloc_str(id);
        let data: &'a [u8] = bump.alloc_slice_copy(w.data(i));
        map.insert(id, Account { owner: owners[w.owner_of[i] as usize], data, index: i as u64 });
    }
    map
}

/// One pass over the queries, reading every field of each account found.
fn lookups(map: &Slot<'_>, queries: &[&str]) -> u64 {
    let mut sink = 0u64;
    for q in queries {
        if let Some(a) = map.get(black_box(*q)) {
            sink = sink
                .wrapping_add(a.owner.len() as u64)
                .wrapping_add(a.index)
                .wrapping_add(a.data.len() as u64)
                .wrapping_add(a.data.first().copied().unwrap_or(0) as u64);
        }
    }
    sink
}

/// One pass where each id arrives as bytes and is checked as UTF-8 before the
/// lookup, as a service does with ids from the network (the TypeScript side
/// decodes them with TextDecoder).
fn decoded_lookups(map: &Slot<'_>, w: &Workload) -> u64 {
    let mut sink = 0u64;
    for &q in &w.queries {
        let id = match std::str::from_utf8(black_box(w.id_raw(q as usize))) {
            Ok(id) => id,
            Err(_) => continue,
        };
        if let Some(a) = map.get(id) {
            sink = sink
                .wrapping_add(a.owner.len() as u64)
                .wrapping_add(a.index)
                .wrapping_add(a.data.len() as u64)
                .wrapping_add(a.data.first().copied().unwrap_or(0) as u64);
        }
    }
    sink
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 }
}

fn run() -> Result<String, String> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: arenakit-native-anchor <workload file> <build reps> <lookup samples>".into());
    }
    let buf = std::fs::read(&args[1]).map_err(|e| format!("cannot read {}: {e}", args[1]))?;
    let reps: usize = args[2].parse().ok().filter(|&r| r > 0).ok_or("build reps must be a positive integer")?;
    let samples: usize = args[3].parse().ok().filter(|&r| r > 0).ok_or("lookup samples must be a positive integer")?;
    let w = Workload::parse(&buf)?;
    if w.n == 0 || w.queries.is_empty() {
        return Err("the workload has no accounts or no queries".into());
    }
    let n = w.n as f64;

    // The query ids as the application holds them: slices of the input
    // bytes, not the stored keys, so every lookup hashes and compares.
    let queries: Vec<&str> = w.queries.iter().map(|&i| std::str::from_utf8(w.id_raw(i as usize)).unwrap()).collect();

    // Warm-up: one build and one pass of each kind, untimed.
    {
        let bump = Bump::new();
        let map = build(&bump, &w);
        black_box(lookups(&map, &queries));
        black_box(decoded_lookups(&map, &w));
    }

    let mut build_ns = Vec::with_capacity(reps);
    let mut drop_ns = Vec::with_capacity(reps);
    for _ in 1..reps {
        let t = Instant::now();
        let bump = Bump::new();
        let map = build(&bump, &w);
        build_ns.push(t.elapsed().as_nanos() as f64 / n);
        black_box(map.len());
        let t = Instant::now();
        drop(map);
        drop(bump);
        drop_ns.push(t.elapsed().as_nanos() as f64);
    }
    // The last build is kept for the lookups, as on the TypeScript side.
    let t = Instant::now();
    let bump = Bump::new();
    let map = build(&bump, &w);
    build_ns.push(t.elapsed().as_nanos() as f64 / n);
    let bytes = bump.allocated_bytes();
    let mut get_ns = Vec::with_capacity(samples);
    let mut decoded_ns = Vec::with_capacity(samples);
    let mut sink = 0u64;
    for _ in 0..samples {
        let t = Instant::now();
        sink = sink.wrapping_add(lookups(&map, &queries));
        get_ns.push(t.elapsed().as_nanos() as f64 / queries.len() as f64);
        let t = Instant::now();
        sink = sink.wrapping_add(decoded_lookups(&map, &w));
        decoded_ns.push(t.elapsed().as_nanos() as f64 / queries.len() as f64);
    }
    black_box(sink);
    let t = Instant::now();
    drop(map);
    drop(bump);
    drop_ns.push(t.elapsed().as_nanos() as f64);

    Ok(format!(
        "{{\"accounts\":{},\"buildNs\":{:.2},\"getNs\":{:.2},\"getDecodedNs\":{:.2},\"dropNs\":{:.0},\"bytesPerAccount\":{:.2},\"builds\":{},\"lookupSamples\":{},\"queries\":{}}}",
        w.n,
        median(build_ns),
        median(get_ns),
        median(decoded_ns),
        median(drop_ns),
        bytes as f64 / n,
        reps,
        samples,
        queries.len()
    ))
}

fn main() {
    match run() {
        Ok(line) => println!("{line}"),
        Err(e) => {
            eprintln!("arenakit-native-anchor: {e}");
            std::process::exit(2);
        }
    }
}
