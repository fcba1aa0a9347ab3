// The engine's own answers for the unit tests: tests/test_js_units.py writes them (the catalog
// and iteration traces from the API) into the folder named by BP_FIXTURES before Node runs.

import { readFileSync } from "node:fs";
import { join } from "node:path";

export function fixture(name) {
  const folder = process.env.BP_FIXTURES;
  if (!folder) throw new Error("BP_FIXTURES is not set: run these through `make test`");
  return JSON.parse(readFileSync(join(folder, `${name}.json`), "utf8"));
}
