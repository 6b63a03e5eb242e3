// Prints an HCL2 file as JSON, parsed by HashiCorp's HCL library (hcl2json, compiled to
// WebAssembly). On a syntax error it prints the parser's message (file:line,column: what) on
// stderr and exits with 1.
//
//   node hcl2json.mjs FILE
import { parse } from "@cdktf/hcl2json";
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node hcl2json.mjs FILE");
  process.exit(2);
}
try {
  const json = await parse(file, readFileSync(file, "utf8"));
  process.stdout.write(JSON.stringify(json));
} catch (e) {
  console.error(String(e.message ?? e));
  process.exit(1);
}
