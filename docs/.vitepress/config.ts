import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transformerTwoslash } from "@shikijs/vitepress-twoslash";
import { defineConfig, type DefaultTheme } from "vitepress";
import { chapters, packages } from "./chapters.ts";

const docs = fileURLToPath(new URL("..", import.meta.url));
const has = (p: string): boolean => existsSync(`${docs}/${p}`);

function titleOf(file: string): string {
  const m = /^#\s+(.+)$/m.exec(readFileSync(file, "utf8"));
  return m?.[1]?.replace(/`/g, "") ?? file;
}

const guide: DefaultTheme.SidebarItem[] = [
  { text: "Getting started", link: "/guide/" },
  ...chapters.filter((c) => has(`guide/${c.slug}.md`)).map((c) => ({ text: c.title, link: `/guide/${c.slug}` })),
];

const recipes: DefaultTheme.SidebarItem[] = [
  { text: "All recipes", link: "/recipes/" },
  ...readdirSync(`${docs}/recipes`)
    .filter((f) => f.endsWith(".md") && f !== "index.md")
    .sort()
    .map((f) => ({ text: titleOf(`${docs}/recipes/${f}`), link: `/recipes/${f.slice(0, -3)}` })),
];

// Each package's typedoc run writes its own sidebar next to its pages.
const apiSidebar: DefaultTheme.SidebarItem[] = [
  { text: "API reference", link: "/api/" },
  ...packages
    .filter((p) => has(`api/${p.name}/index.md`))
    .map((p) => ({
      text: `@arenakit/${p.name}`,
      link: `/api/${p.name}/`,
      collapsed: true,
      items: has(`api/${p.name}/typedoc-sidebar.json`)
        ? (JSON.parse(readFileSync(`${docs}/api/${p.name}/typedoc-sidebar.json`, "utf8")) as DefaultTheme.SidebarItem[])
        : [],
    })),
];

export default defineConfig({
  title: "arenakit",
  description: "Arena-allocation patterns for JavaScript engines: learn them, measure them, copy them.",
  cleanUrls: true,
  lastUpdated: false,
  // A dead link fails the build (VitePress' default); API pages link into each other freely.
  ignoreDeadLinks: false,
  head: [
    ["meta", { name: "theme-color", content: "#3c8772" }],
    ["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }],
  ],
  markdown: {
    codeTransformers: [
      transformerTwoslash({
        // A type error in a twoslash block fails the build.
        throws: true,
        twoslashOptions: { compilerOptions: { lib: ["ES2024", "ESNext.Disposable", "DOM"], types: ["node"] } },
      }),
    ],
  },
  themeConfig: {
    logo: "/favicon.svg",
    nav: [
      { text: "Guide", link: "/guide/", activeMatch: "/guide/" },
      { text: "Recipes", link: "/recipes/", activeMatch: "/recipes/" },
      { text: "Benchmarks", link: "/benchmarks/", activeMatch: "/benchmarks/" },
      { text: "API", link: "/api/", activeMatch: "/api/" },
      ...(has("changelog.md") ? [{ text: "Changelog", link: "/changelog" }] : []),
    ],
    sidebar: {
      "/guide/": [{ text: "Guide", items: guide }],
      "/recipes/": [{ text: "Recipes", items: recipes }],
      "/benchmarks/": [
        {
          text: "Benchmarks",
          items: [
            { text: "Results and methodology", link: "/benchmarks/" },
            ...(has("benchmarks/run.md") ? [{ text: "Run it on your machine", link: "/benchmarks/run" }] : []),
          ],
        },
      ],
      "/api/": [{ text: "API", items: apiSidebar }],
    },
    search: { provider: "local" },
    outline: { level: [2, 3] },
    footer: { message: "Figures on every page come from benchmarks/results/node20.json." },
  },
  vite: {
    // The results file and the benchmark suites live outside docs/; let the dev server read them.
    server: {
      fs: { allow: [fileURLToPath(new URL("../..", import.meta.url))] },
      // Cross-origin isolation, so SharedArrayBuffer exists for the in-browser benchmarks.
      headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
    },
  },
});
