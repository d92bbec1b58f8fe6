// Makes sure a Chromium for the docs browser tests exists. Playwright cannot
// download browsers on these machines, so the tests drive Debian's chromium.
// Looks for $CHROMIUM_PATH, then the usual binaries; installs Debian's package
// when running as root with apt-get available; otherwise explains what to do.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const found = candidates.find((p) => p && existsSync(p));
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (isRoot && existsSync("/usr/bin/apt-get")) {
  console.log("chromium: not found; installing Debian's chromium package (about 30 s)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  if (existsSync("/usr/bin/chromium")) process.exit(0);
}
console.error(
  "chromium: no browser found for the docs browser tests. Install Chromium (Debian: apt-get install chromium) " +
    "or set CHROMIUM_PATH to a Chromium/Chrome binary.",
);
process.exit(1);
