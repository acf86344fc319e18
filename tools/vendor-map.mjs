// Copy the page's map libraries and basemap from node_modules into the package (run by `npm run vendor`).
// What is copied, with its licence, version and SHA-256, is listed in static/vendor/VENDORED.md.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "eventwire", "serve", "static", "vendor");
const FILES = {
  leaflet: ["dist/leaflet.js", "dist/leaflet.css", "LICENSE"],
  "leaflet.markercluster": ["dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
    "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt"],
  "topojson-client": ["dist/topojson-client.min.js", "LICENSE"],
  // Natural Earth 1:50m countries (public domain), as TopoJSON: about 0.75 MB, detailed enough to zoom to a region.
  "world-atlas": ["countries-50m.json", "LICENSE"],
};

const lines = ["# Vendored map files", "",
  "Copied from the npm packages named in /package.json by `npm run vendor` (tools/vendor-map.mjs);",
  "do not edit by hand. Natural Earth data is in the public domain; each library's licence is beside it.", "",
  "| package | version | licence | file | sha256 |", "| --- | --- | --- | --- | --- |"];
for (const [pkg, files] of Object.entries(FILES)) {
  const meta = JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8"));
  mkdirSync(join(out, pkg), { recursive: true });
  for (const file of files) {
    const src = join(root, "node_modules", pkg, file);
    const name = file.split("/").pop();
    copyFileSync(src, join(out, pkg, name));
    const sha = createHash("sha256").update(readFileSync(src)).digest("hex");
    lines.push(`| ${pkg} | ${meta.version} | ${meta.license} | ${pkg}/${name} | ${sha.slice(0, 16)} |`);
  }
}
writeFileSync(join(out, "VENDORED.md"), lines.join("\n") + "\n");
console.log(`vendored ${Object.keys(FILES).length} packages into ${out}`);
