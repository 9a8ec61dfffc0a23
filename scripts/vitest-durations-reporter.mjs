// A Vitest reporter: how long each test file took, per project (set-up, import, hooks and tests),
// written to reports/vitest-durations.json. `node scripts/test-summary.mjs --update-durations`
// copies it to vitest.durations.json, which vitest.config.ts's sequencer starts the slowest files by.
import fs from "node:fs";
import path from "node:path";

export default class DurationsReporter {
  durations = {};

  onTestModuleEnd(testModule) {
    const d = testModule.diagnostic();
    const ms =
      d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    const file = path.relative(process.cwd(), testModule.moduleId);
    this.durations[`${testModule.project.name}:${file}`] = Math.round(ms / 100) / 10;
  }

  onTestRunEnd() {
    fs.mkdirSync("reports", { recursive: true });
    fs.writeFileSync("reports/vitest-durations.json", `${JSON.stringify(this.durations, null, 2)}\n`);
  }
}
