// The built site in real headless Chromium (Debian's, driven by playwright-core):
// every page loads without console errors; code blocks, tables and charts render;
// search finds a package; a twoslash hover shows a type; dark mode and a phone
// viewport work. Screenshots go to test-artifacts/.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "./serve.ts";

const docs = fileURLToPath(new URL("..", import.meta.url));
const dist = join(docs, ".vitepress", "dist");
const artifacts = join(docs, "..", "test-artifacts");
const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));

let browser: Browser;
let base: string;
let close: () => void;

function htmlPages(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "assets") out.push(...htmlPages(p));
    } else if (name.endsWith(".html") && name !== "404.html") {
      out.push("/" + relative(dist, p).replace(/\\/g, "/").replace(/(index)?\.html$/, ""));
    }
  }
  return out.sort();
}

async function open(path: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${path}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${path}: ${e.message}`));
  const res = await page.goto(base + path, { waitUntil: "networkidle" });
  expect(res?.status(), path).toBe(200);
  return page;
}

beforeAll(async () => {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error("the site is not built: run `pnpm docs:build` (pnpm test builds it first)");
  }
  if (CHROMIUM === undefined) throw new Error("no Chromium found: run `node scripts/ensure-chromium.mjs` or set CHROMIUM_PATH");
  mkdirSync(artifacts, { recursive: true });
  const s = await serve(dist);
  base = s.url;
  close = () => s.server.close();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  close?.();
});

// Every built page, walked in groups small enough that no single test needs
// minutes on a busy two-core machine (the API reference alone has hundreds).
const PAGES = existsSync(dist) ? htmlPages(dist) : [];
const GROUP = 6;
const groups: { name: string; paths: string[] }[] = [];
for (let i = 0; i < PAGES.length; i += GROUP) {
  const paths = PAGES.slice(i, i + GROUP);
  groups.push({ name: `${paths[0]} … ${paths[paths.length - 1]}`, paths });
}

describe("every page loads without console errors and has a title", () => {
  it("the site has its pages", () => {
    expect(PAGES.length, "the site is built (pnpm docs:build)").toBeGreaterThan(10);
  });

  it.each(groups)("pages $name", async ({ paths }) => {
    const errors: string[] = [];
    const page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    for (const path of paths) {
      const res = await page.goto(base + path, { waitUntil: "load" });
      expect(res?.status(), path).toBe(200);
      const h1 = await page.locator("h1").first().textContent();
      expect(h1?.trim().length, `${path} has an h1`).toBeGreaterThan(0);
      const missing = await page.locator(".bench-target-missed", { hasText: "[" }).count();
      expect(missing, `${path} names a missing benchmark figure`).toBe(0);
    }
    await page.close();
    expect(errors).toEqual([]);
  });
});

describe("the built site in Chromium", () => {
  it("the home page shows measured numbers and a chart", async () => {
    const errors: string[] = [];
    const page = await open("/", errors);
    await page.locator(".bench-value").nth(4).waitFor({ timeout: 30_000 });
    const first = await page.locator(".bench-value").first().textContent();
    expect(first).toMatch(/\d/);
    await page.locator(".bench-chart svg polyline").first().waitFor({ timeout: 30_000 });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(artifacts, "docs-home.png"), fullPage: false });
    await page.close();
    expect(errors).toEqual([]);
  });

  it("a chapter renders region-imported code, tables and charts", async () => {
    const errors: string[] = [];
    const page = await open("/guide/bump", errors);
    await page.locator("div[class*='language-ts'] pre code").nth(5).waitFor({ timeout: 30_000 });
    await expect(page.locator("pre code").first().textContent()).resolves.toContain("@arenakit/bump");
    await page.locator(".bench-table table").nth(3).waitFor({ timeout: 30_000 });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(artifacts, "docs-chapter-bump.png"), fullPage: false });
    await page.close();
    expect(errors).toEqual([]);
  });

  it("the benchmarks page shows every suite's cases", async () => {
    const errors: string[] = [];
    const page = await open("/benchmarks/", errors);
    const { results } = await import("../.vitepress/theme/results.ts");
    const total = results.suites.reduce((n, s) => n + s.cases.length, 0);
    // The tables render after hydration: wait until the last expected one exists.
    await page.locator(".bench-table table").nth(total - 1).waitFor({ timeout: 60_000 });
    expect(await page.locator(".bench-table table").count()).toBeGreaterThanOrEqual(total);
    await page.locator(".bench-chart svg").nth(4).waitFor({ timeout: 30_000 });
    await page.close();
    expect(errors).toEqual([]);
  });

  it("search finds a package export", async () => {
    const errors: string[] = [];
    const page = await open("/", errors);
    await page.locator(".VPNavBarSearch .DocSearch-Button").first().click();
    const input = page.locator("#localsearch-input");
    await input.waitFor({ timeout: 10_000 });
    await input.fill("ChunkPool");
    const hit = page.locator(".VPLocalSearchBox .results li", { hasText: "ChunkPool" }).first();
    await hit.waitFor({ timeout: 15_000 });
    expect(await page.locator(".VPLocalSearchBox .results li").count()).toBeGreaterThan(0);
    await page.close();
    expect(errors).toEqual([]);
  });

  it("a twoslash hover shows a type", async () => {
    const errors: string[] = [];
    const page = await open("/guide/explicit-allocators", errors);
    const query = page.locator(".twoslash-query-presisted, .twoslash-query-persisted, .twoslash-popup-container").first();
    await query.waitFor({ state: "attached", timeout: 10_000 });
    expect(await query.textContent()).toContain("number");
    await page.locator(".twoslash-hover").first().hover();
    await page.locator(".v-popper__popper .twoslash-popup-code, .twoslash-floating .twoslash-popup-code").first().waitFor({ timeout: 10_000 });
    await page.close();
    expect(errors).toEqual([]);
  });

  it("dark mode and a phone-sized viewport work", async () => {
    const errors: string[] = [];
    const page = await open("/guide/why-arenas", errors);
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload({ waitUntil: "networkidle" });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => localStorage.setItem("vitepress-theme-appearance", "dark"));
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await page.screenshot({ path: join(artifacts, "docs-mobile-dark.png"), fullPage: false });
    await page.close();
    expect(errors).toEqual([]);
  });
});

describe("benchmarks in the reader's browser", () => {
  it("runs a case in the page, cross-origin isolated, and shows its ratio beside the committed one", async () => {
    const errors: string[] = [];
    const page = await open("/benchmarks/run", errors);
    await expect(page.locator("[data-testid=coi]").textContent()).resolves.toBe("yes");
    const row = page.locator('[data-case="bump/small-allocs"]');
    await row.locator("button.bench-run").click();
    const ratio = row.locator("td.bench-ratio").nth(1);
    await ratio.waitFor({ timeout: 60_000 });
    expect(await ratio.textContent()).toMatch(/^\d+(\.\d+)?×$/);
    // The shared-memory case is runnable here because the server sends COOP/COEP.
    expect(await page.locator('[data-case="bump/handoff"] button.bench-run').count()).toBe(1);
    await page.close();
    expect(errors).toEqual([]);
  });
});
