// The built site in real headless Chromium (Debian's, driven by playwright-core):
// every page loads without console errors; code blocks, tables and charts render;
// search finds a package; a twoslash hover shows a type; dark mode and a phone
// viewport work; at 390 px and 1400 px no table is wider than its column, at
// desktop width no code block scrolls sideways, and every chapter has a chart
// or a memory diagram. Screenshots go to test-artifacts/.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chapters } from "../.vitepress/chapters.ts";
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
    // Observable Plot draws the chart after hydration: lines are paths, axes titled in words.
    await page.locator('.bench-chart svg [aria-label="line"] path').first().waitFor({ timeout: 30_000 });
    await expect(page.locator(".bench-chart").first().textContent()).resolves.toContain("records held (log scale)");
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

// The chapters that are built, in reading order.
const CHAPTERS = chapters.map((c) => `/guide/${c.slug}`).filter((p) => existsSync(join(dist, `${p}.html`)));
const RECIPES = existsSync(join(dist, "recipes"))
  ? readdirSync(join(dist, "recipes"))
      .filter((f) => f.endsWith(".html") && f !== "index.html")
      .map((f) => `/recipes/${f.slice(0, -5)}`)
  : [];
// Pages whose tables carry benchmark figures, plus every chapter.
const TABLE_PAGES = ["/", "/benchmarks/", ...CHAPTERS];

/** Elements of `selector` whose content is wider than the box they are shown in (they would scroll or clip). */
async function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
      if (el.offsetParent === null) continue; // hidden (an inactive code-group tab)
      const column = el.parentElement?.clientWidth ?? el.clientWidth;
      const wide = el.scrollWidth - Math.min(el.clientWidth, column);
      if (wide > 1 || el.getBoundingClientRect().width > column + 1) {
        out.push(`${(el.textContent ?? "").trim().slice(0, 60)}… is ${wide}px too wide`);
      }
    }
    return out;
  }, selector);
}

describe("tables, code and pictures fit the page", () => {
  for (const width of [390, 1400]) {
    it(`no table is wider than its column at ${width} px`, async () => {
      const errors: string[] = [];
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      page.on("pageerror", (e) => errors.push(e.message));
      const problems: string[] = [];
      for (const path of TABLE_PAGES) {
        await page.goto(base + path, { waitUntil: "networkidle" });
        // Benchmark tables render after hydration: wait for them when the page has any.
        if ((await page.locator(".bench-table").count()) > 0) await page.locator(".bench-table table").first().waitFor();
        for (const p of await overflowing(page, ".vp-doc table")) problems.push(`${path}: ${p}`);
      }
      await page.close();
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  it("no code block in a chapter or a recipe scrolls sideways at desktop width (1400 px)", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    for (const path of [...CHAPTERS, ...RECIPES]) {
      await page.goto(base + path, { waitUntil: "load" });
      // A recipe's whole program sits in a collapsed block: open it to measure it.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
      const blocks = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>(".vp-doc div[class*='language-'] pre")).map((pre) => ({
          shown: pre.offsetParent !== null,
          over: pre.scrollWidth - pre.clientWidth,
          text: (pre.textContent ?? "").trim().slice(0, 50),
        })),
      );
      for (const b of blocks) if (b.shown && b.over > 1) problems.push(`${path}: "${b.text}…" scrolls by ${b.over}px`);
    }
    await page.close();
    expect(CHAPTERS.length).toBeGreaterThan(5);
    expect(RECIPES.length).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it("every chapter has at least one chart or memory diagram, and charts speak in words", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const missing: string[] = [];
    const rawKeys: string[] = [];
    for (const path of CHAPTERS) {
      await page.goto(base + path, { waitUntil: "networkidle" });
      const pictures = await page.locator(".mem-diagram svg, .bench-chart").count();
      if (pictures === 0) missing.push(path);
      if ((await page.locator(".bench-chart").count()) > 0) {
        // A chart is drawn after hydration; its text must not show the results file's metric keys.
        await page.locator(".bench-chart svg").first().waitFor({ timeout: 30_000 });
        const text = await page.locator(".bench-chart").allTextContents();
        const keys = text.join(" ").match(/\b(gcMs|bytesPerRecord|gcSpeedup|memoryRatio|buildMs|speedup)\b/g);
        if (keys !== null) rawKeys.push(`${path}: ${[...new Set(keys)].join(", ")}`);
      }
    }
    await page.close();
    expect(missing).toEqual([]);
    expect(rawKeys).toEqual([]);
  });

  it("charts stay inside the page at 390 px", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(base + "/guide/why-arenas", { waitUntil: "networkidle" });
    await page.locator(".bench-chart svg").first().waitFor({ timeout: 30_000 });
    const widths = await page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGElement>(".bench-chart svg, .mem-diagram svg")).map((s) => s.getBoundingClientRect().right),
    );
    expect(widths.length).toBeGreaterThan(0);
    for (const right of widths) expect(right).toBeLessThanOrEqual(391);
    await page.screenshot({ path: join(artifacts, "docs-chart-390.png"), fullPage: false });
    await page.close();
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
