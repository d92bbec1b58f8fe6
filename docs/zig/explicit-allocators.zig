// The Zig column of the "Explicit allocators" chapter. Zig cannot be
// installed on the machines this project is built on, so this file is NOT
// compiled here: it is written against Zig 0.13's standard library and shown
// for comparison only. The Rust and TypeScript columns are compiled and run.
const std = @import("std");

// #region explicit
/// Allocates through whatever allocator the caller passes.
fn upperNames(alloc: std.mem.Allocator, names: []const []const u8) ![][]u8 {
    const out = try alloc.alloc([]u8, names.len);
    for (names, out) |name, *slot| {
        slot.* = try std.ascii.allocUpperString(alloc, name);
    }
    return out;
}
// #endregion explicit

// #region use
pub fn main() !void {
    var arena = std.heap.ArenaAllocator.init(std.heap.page_allocator);
    defer arena.deinit(); // one call frees everything allocated below
    const a = arena.allocator();

    const names = try upperNames(a, &.{ "rusty", "sparky" });
    // An "unmanaged" map stores no allocator: every growing call takes one.
    var ids: std.StringHashMapUnmanaged(u32) = .{};
    for (names, 0..) |name, i| try ids.put(a, name, @intCast(i));
    std.debug.print("{d} names\n", .{ids.count()});
}
// #endregion use
