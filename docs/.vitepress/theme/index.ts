import TwoslashFloatingVue from "@shikijs/vitepress-twoslash/client";
import "@shikijs/vitepress-twoslash/style.css";
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import BenchChart from "./components/BenchChart.vue";
import BenchMachine from "./components/BenchMachine.vue";
import BenchSuite from "./components/BenchSuite.vue";
import BenchTable from "./components/BenchTable.vue";
import BenchValue from "./components/BenchValue.vue";
import BrowserBench from "./components/BrowserBench.vue";
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
    app.component("BrowserBench", BrowserBench);
  },
} satisfies Theme;
