// Serves the built site like `vitepress preview`, plus the cross-origin
// isolation headers (COOP/COEP) that browsers require before they expose
// SharedArrayBuffer, so the in-browser benchmarks can run their shared cases.
import { fileURLToPath } from "node:url";
import { serve } from "../test/serve.ts";

const dist = fileURLToPath(new URL("../.vitepress/dist", import.meta.url));
const port = Number(process.env.PORT ?? 4173);
const { url } = await serve(dist, port);
console.log(`arenakit docs (cross-origin isolated) at ${url}`);
