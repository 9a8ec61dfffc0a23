import fs from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import { SYSTEM } from "../../auth/actor.ts";
import type { Services } from "../../context.ts";
import { withActor } from "../../context.ts";
import { AppError } from "../../lib/errors.ts";
import { csvLimits, IMPORT_ENCODINGS, type ImportEncoding } from "./csv.ts";
import {
  deleteImport,
  dryRunImport,
  type ImportEntity,
  type ImportReport,
  mappingFromNames,
  type Progress,
  runImport,
  uploadImport,
} from "./imports.service.ts";

export type ImportCliOptions = { map?: string; dryRun: boolean; encoding: string; country?: string };

/** A progress bar on a terminal (cli-progress, as seed:demo), a line per tenth otherwise. */
function progressBar() {
  let bar: cliProgress.SingleBar | undefined;
  let phase: Progress["phase"] | undefined;
  let lastDecile = -1;
  const labels = { check: "Checking rows", insert: "Importing" };
  return {
    update(p: Progress) {
      if (p.phase !== phase) {
        bar?.stop();
        bar = undefined;
        phase = p.phase;
        lastDecile = -1;
        if (process.stderr.isTTY) {
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: `${labels[p.phase].padEnd(15)} [{bar}] {value}/{total} {percentage}%`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, 0);
        }
      }
      if (bar) bar.update(p.done);
      else {
        const decile = Math.floor((p.done / Math.max(p.total, 1)) * 10);
        if (decile !== lastDecile || p.done === p.total) {
          lastDecile = decile;
          process.stderr.write(`${labels[p.phase]}: ${p.done}/${p.total}\n`);
        }
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

function printReport(report: ImportReport) {
  console.log(`${report.rowCount} rows, ${report.errorCount} problems (encoding ${report.encoding}).`);
  for (const e of report.errors.slice(0, 100))
    console.log(`  line ${e.row}${e.column ? ` [${e.column}]` : ""}: ${e.field} ${e.code}: ${e.message}`);
  if (report.errorCount > 100) console.log(`  ... and ${report.errorCount - 100} more`);
  if (report.newOrganizations.length)
    console.log(`New organizations: ${report.newOrganizations.slice(0, 20).join(", ")}`);
}

/** `rapport import:contacts|import:organizations|import:orders <file>`: returns the process exit code. */
export async function importCommand(
  services: Services,
  entity: ImportEntity,
  file: string,
  opts: ImportCliOptions,
): Promise<number> {
  if (!(IMPORT_ENCODINGS as readonly string[]).includes(opts.encoding))
    throw new Error(`--encoding is one of ${IMPORT_ENCODINGS.join(", ")}`);
  const stat = fs.statSync(file);
  if (stat.size > csvLimits.maxBytes) throw new Error(`${file} is larger than ${csvLimits.maxBytes} bytes`);
  const ctx = withActor(services, SYSTEM);
  const started = Date.now();
  const upload = await uploadImport(ctx, {
    entity,
    filename: path.basename(file),
    data: fs.readFileSync(file),
    encoding: opts.encoding as ImportEncoding,
  });
  const mapping = mappingFromNames(upload, opts.map);
  console.log(
    `Columns: ${upload.headers.map((h, i) => `${h} -> ${mapping[String(i)] || "(ignored)"}`).join(", ")}`,
  );
  const progress = progressBar();
  const runOpts = { mapping, encoding: opts.encoding as ImportEncoding, defaultCountry: opts.country };
  try {
    if (opts.dryRun) {
      const report = await dryRunImport(ctx, upload.id, runOpts, progress.update).finally(() =>
        progress.stop(),
      );
      printReport(report);
      await deleteImport(ctx, upload.id);
      console.log(
        report.errorCount ? "Dry run: fix these rows, then import." : "Dry run: every row is fine.",
      );
      return report.errorCount ? 1 : 0;
    }
    const result = await runImport(ctx, upload.id, runOpts, progress.update).finally(() => progress.stop());
    const secs = (Date.now() - started) / 1000;
    console.log(
      `Imported ${result.inserted} ${{ contact: "contacts", organization: "organizations", order: "orders" }[entity]} in ${secs.toFixed(1)} s (${Math.round(result.inserted / secs)} rows/s).`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError && err.status === 422) {
      printReport(err.details as ImportReport);
      console.log("Nothing was imported.");
      return 1;
    }
    throw err;
  }
}
