import TwoslashFloatingVue from "@shikijs/vitepress-twoslash/client";
import "@shikijs/vitepress-twoslash/style.css";
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import BenchChart from "./components/BenchChart.vue";
import BenchMachine from "./components/BenchMachine.vue";
import BenchSuite from "./components/BenchSuite.vue";
import BenchSuites from "./components/BenchSuites.vue";
import BenchTable from "./components/BenchTable.vue";
import BenchValue from "./components/BenchValue.vue";
import BrowserBench from "./components/BrowserBench.vue";
import Changelog from "./components/Changelog.vue";
import BrandScopes from "./diagrams/BrandScopes.vue";
import ChunkGrowth from "./diagrams/ChunkGrowth.vue";
import HandleBits from "./diagrams/HandleBits.vue";
import HashGroup from "./diagrams/HashGroup.vue";
import LeaseWords from "./diagrams/LeaseWords.vue";
import LruLayout from "./diagrams/LruLayout.vue";
import PointerBits from "./diagrams/PointerBits.vue";
import SegmentLayout from "./diagrams/SegmentLayout.vue";
import SnapshotLayout from "./diagrams/SnapshotLayout.vue";
import "./style.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.use(TwoslashFloatingVue);
    app.component("BenchTable", BenchTable);
    app.component("BenchValue", BenchValue);
    app.component("BenchChart", BenchChart);
    app.component("BenchMachine", BenchMachine);
    app.component("BenchSuite", BenchSuite);
    app.component("BenchSuites", BenchSuites);
    app.component("BrowserBench", BrowserBench);
    app.component("Changelog", Changelog);
    // Memory diagrams, drawn from the packages' own constants and functions.
    app.component("PointerBits", PointerBits);
    app.component("ChunkGrowth", ChunkGrowth);
    app.component("HashGroup", HashGroup);
    app.component("SegmentLayout", SegmentLayout);
    app.component("LeaseWords", LeaseWords);
    app.component("BrandScopes", BrandScopes);
    app.component("HandleBits", HandleBits);
    app.component("SnapshotLayout", SnapshotLayout);
    app.component("LruLayout", LruLayout);
  },
} satisfies Theme;
