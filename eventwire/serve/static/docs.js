"use strict";
// The API reference, drawn from /openapi.json with DOM calls only (works offline, no CDN).
function node(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
async function drawDocs() {
  const main = document.getElementById("api");
  const spec = await (await fetch("/openapi.json")).json();
  main.replaceChildren(node("p", null, spec.info.description || ""));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const sec = node("section", "panel");
      sec.append(node("h2", "route", method.toUpperCase() + " " + path));
      if (op.description || op.summary) sec.append(node("p", null, op.description || op.summary));
      const params = op.parameters || [];
      if (params.length) {
        const table = node("table");
        const head = node("tr");
        ["parameter", "in", "type", "about"].forEach((h) => head.append(node("th", null, h)));
        table.append(head);
        for (const p of params) {
          const tr = node("tr");
          const schema = p.schema || {};
          const type = schema.type || (schema.anyOf || []).map((s) => s.type).filter(Boolean).join(" | ");
          [p.name, p.in, type, p.description || ""].forEach((v) => tr.append(node("td", null, v)));
          table.append(tr);
        }
        sec.append(table);
      }
      main.append(sec);
    }
  }
}
drawDocs();
