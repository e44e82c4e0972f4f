// Draws one Mermaid diagram as a self-contained SVG that a page can inline.
// Loaded after mermaid.min.js into a blank page by devtools/diagram_drawing.py;
// its bytes are part of every drawing's key (settings.py), so a change here
// asks for `make diagrams`.
//
// Mermaid's own SVG carries a stylesheet for every shape it knows (about 6 KB),
// colours baked in, data attributes for its editor and arrowheads nobody uses.
// Here we keep only what this drawing uses, turn each sentinel colour into the
// CSS custom property of its role (so the page's palette colours it), and check
// that nothing painted is left with a colour the palette cannot reach.
"use strict";

window.fgDraw = async function fgDraw(id, source, options) {
  const { roles, measureFont } = options;
  const sentinels = new Map(); // "rgb(0, 0, 2)" -> role
  for (const [role, [hex]] of Object.entries(roles)) {
    const n = parseInt(hex.slice(1), 16);
    sentinels.set(`rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`, role);
  }

  let rendered;
  try {
    rendered = await mermaid.render(id, source);
  } catch (error) {
    return { error: String((error && error.message) || error).split("\n").slice(0, 3).join(" ") };
  } finally {
    // On a syntax error Mermaid leaves its scratch element behind.
    document.getElementById("d" + id)?.remove();
  }

  const host = document.createElement("div");
  host.innerHTML = rendered.svg;
  document.body.appendChild(host);
  try {
    return clean(host, host.querySelector("svg"), id, sentinels, roles, measureFont);
  } finally {
    host.remove();
  }
};

function clean(host, svg, id, sentinels, roles, measureFont) {
  if (svg.querySelector("foreignObject")) {
    return { error: "Mermaid drew an HTML label (foreignObject); this diagram type needs htmlLabels support" };
  }
  const title = svg.querySelector(":scope > title");
  if (!title || !title.textContent.trim()) {
    return { error: "no accTitle: add `accTitle: <short title>` (and accDescr) after the first line" };
  }

  // 1. Every painted thing must be coloured by a role, never a colour of its own.
  const unthemed = new Set();
  for (const el of svg.querySelectorAll("path, rect, circle, ellipse, polygon, polyline, line, text, tspan")) {
    const style = getComputedStyle(el);
    if (style.display === "none") continue;
    if (el.matches("text, tspan") && !el.textContent.trim()) continue;
    for (const prop of ["fill", "stroke"]) {
      const value = style.getPropertyValue(prop);
      if (value === "none" || value.startsWith("url(") || sentinels.has(value)) continue;
      if (prop === "stroke" && parseFloat(style.strokeWidth) === 0) continue;
      if (prop === "fill" && parseFloat(style.fillOpacity) === 0) continue;
      unthemed.add(`${prop} ${value} on <${el.localName} class="${el.getAttribute("class") || ""}">`);
    }
  }
  if (unthemed.size) {
    return {
      error:
        "colours that would not follow the dark palette (remove style/classDef colours, " +
        "or give the role a sentinel in settings.py): " + [...unthemed].slice(0, 4).join("; "),
    };
  }

  // 2. The stylesheet: only rules that match something in this drawing.
  const styleEl = svg.querySelector("style");
  const kept = [];
  for (const rule of styleEl.sheet.cssRules) {
    if (!(rule instanceof CSSStyleRule)) continue; // keyframes for animations we never use
    const selectors = rule.selectorText.split(",").map((s) => s.trim()).filter((s) => {
      try {
        return host.querySelector(s) !== null;
      } catch {
        return false;
      }
    });
    if (selectors.length) kept.push(`${selectors.join(",")}{${rule.style.cssText}}`);
  }
  const fontRe = new RegExp(`"?${measureFont}"?(, ?[^;]*)?`, "g");
  let css = kept.join("").replace(fontRe, `var(--md-text-font-family, "${measureFont}", sans-serif)`);
  css = themed(css, sentinels, roles);
  styleEl.textContent = css;

  // 3. Attributes: colours to roles; nothing Mermaid's editor or tooltips need.
  const referenced = new Set();
  const markup = svg.outerHTML;
  for (const m of markup.matchAll(/url\(#([^)]+)\)|(?:href|xlink:href)="#([^"]+)"/g)) referenced.add(m[1] || m[2]);
  for (const name of ["aria-labelledby", "aria-describedby"]) {
    for (const ref of (svg.getAttribute(name) || "").split(/\s+/)) if (ref) referenced.add(ref);
  }
  for (const marker of svg.querySelectorAll("marker")) {
    if (!referenced.has(marker.id)) marker.remove();
  }
  for (const el of svg.querySelectorAll("*")) {
    for (const attr of [...el.attributes]) {
      if (attr.name.startsWith("data-")) el.removeAttribute(attr.name);
      else if (attr.name === "style" && /^[\s;]*$/.test(attr.value)) el.removeAttribute("style");
      else if (attr.name === "id" && !referenced.has(attr.value)) el.removeAttribute("id");
      else if (["style", "fill", "stroke"].includes(attr.name)) {
        const value = themed(attr.value, sentinels, roles);
        if (value !== attr.value) {
          if (attr.name === "style") el.setAttribute("style", value);
          else {
            // A presentation attribute cannot hold var(): move it into style.
            el.removeAttribute(attr.name);
            el.setAttribute("style", `${attr.name}:${value};${el.getAttribute("style") || ""}`);
          }
        }
      }
    }
  }

  // 4. Smaller markup: Mermaid's outlines come from rough.js, which traces each
  // rounded shape as a hundred curves, twice (30 KB a node); one word per <tspan>;
  // definitions nothing refers to once the ids are gone.
  for (const path of svg.querySelectorAll("path[d]")) {
    const { d, unfilled } = simplifyPath(path.getAttribute("d"), getComputedStyle(path).fill === "none");
    path.setAttribute("d", d);
    // Only straight single-segment subpaths: they enclosed nothing, so neither may the joined path.
    if (unfilled) path.setAttribute("style", `fill:none;${path.getAttribute("style") || ""}`);
  }
  for (const run of svg.querySelectorAll("tspan.text-outer-tspan")) mergeWords(run);
  for (const el of svg.querySelectorAll("filter, linearGradient, radialGradient, clipPath, pattern, symbol")) {
    if (!el.id) el.remove();
  }
  for (const el of svg.querySelectorAll("defs, rect:not([width]):not([height])")) {
    if (el.localName === "rect" || !el.children.length) el.remove();
  }

  // 5. The root: a named image whose size the page decides.
  const [, , width, height] = svg.getAttribute("viewBox").split(/\s+/).map(Number);
  let textPx = Infinity;
  for (const el of svg.querySelectorAll("text, tspan")) {
    if (el.textContent.trim() && el.getClientRects().length) {
      textPx = Math.min(textPx, parseFloat(getComputedStyle(el).fontSize));
    }
  }
  for (const name of ["width", "height", "style", "aria-roledescription", "role"]) svg.removeAttribute(name);
  svg.setAttribute("role", "img");
  svg.setAttribute("viewBox", `0 0 ${round(width)} ${round(height)}`);
  svg.setAttribute("data-fg-text-px", String(textPx));
  const out = new XMLSerializer().serializeToString(svg);
  // Each label's lines, so the drawing tool can tell when a narrow wrap has split a word.
  const rows = [...svg.querySelectorAll("text")].map((t) =>
    [...t.querySelectorAll(":scope > tspan")].map((row) => row.textContent));
  return { svg: out, width: round(width), height: round(height), textPx, rows };
}

function themed(text, sentinels, roles) {
  return text.replace(/rgba?\(\s*0,\s*0,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)|#0000([0-9a-fA-F]{2})\b/g, (match, blue, alpha, hex) => {
    const n = blue !== undefined ? Number(blue) : parseInt(hex, 16);
    const role = sentinels.get(`rgb(0, 0, ${n})`);
    if (!role) return match;
    const variable = `var(--fg-diagram-${role}, ${roles[role][1]})`;
    return alpha !== undefined && Number(alpha) !== 1
      ? `color-mix(in srgb, ${variable} ${Math.round(Number(alpha) * 100)}%, transparent)`
      : variable;
  });
}

function round(n) {
  return Math.ceil(n * 100) / 100;
}

// Precision a reader can never see: 0.01 of a CSS pixel at full size.
const EPSILON = 0.1;

function roundNumbers(text) {
  return text.replace(/-?\d*\.\d{3,}(?:e[-+]?\d+)?/gi, (n) => String(Math.round(Number(n) * 100) / 100));
}

function near(p, q, tolerance = 0.05) {
  return Math.abs(p[0] - q[0]) <= tolerance && Math.abs(p[1] - q[1]) <= tolerance;
}

function distanceToLine(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  if (length < 1e-9) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / length;
}

// Ramer-Douglas-Peucker: drop points that lie within EPSILON of the line kept.
function thin(points) {
  if (points.length < 3) return points;
  let worst = 0, at = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = distanceToLine(points[i], points[0], points[points.length - 1]);
    if (d > worst) [worst, at] = [d, i];
  }
  if (worst <= EPSILON) return [points[0], points[points.length - 1]];
  return thin(points.slice(0, at + 1)).slice(0, -1).concat(thin(points.slice(at)));
}

// Absolute M/L/H/V/C/Z paths become lines where their curves are straight,
// without repeated strokes, joined where they meet, thinned, rounded. Paths with
// other commands (arcs, relative moves) are only rounded. Separate subpaths are
// joined only where that cannot change a fill: the path is unfilled, or each
// subpath is one straight segment that enclosed nothing (then `unfilled` says to
// keep it so).
function simplifyPath(d, fillNone) {
  const rounded = { d: roundNumbers(d), unfilled: false };
  if (/[^MLHVCZ\d\s,.eE+-]/.test(d)) return rounded;
  const tokens = d.match(/[MLHVCZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) || [];
  const segments = [];
  let i = 0, cmd = null, cur = null, start = null, subpaths = 0, lonely = true, run = 0;
  const num = () => Number(tokens[i++]);
  const point = () => [num(), num()];
  while (i < tokens.length) {
    if (/^[MLHVCZ]$/.test(tokens[i])) cmd = tokens[i++];
    if (cmd !== "M" && !cur) return rounded;
    const before = segments.length;
    if (cmd === "M") { cur = start = point(); cmd = "L"; subpaths++; run = 0; }
    else if (cmd === "L") { const p = point(); segments.push({ a: cur, b: p }); cur = p; }
    else if (cmd === "H") { const p = [num(), cur[1]]; segments.push({ a: cur, b: p }); cur = p; }
    else if (cmd === "V") { const p = [cur[0], num()]; segments.push({ a: cur, b: p }); cur = p; }
    else if (cmd === "C") {
      const c1 = point(), c2 = point(), p = point();
      const straight = distanceToLine(c1, cur, p) <= 0.05 && distanceToLine(c2, cur, p) <= 0.05;
      segments.push(straight ? { a: cur, b: p } : { a: cur, c1, c2, b: p });
      cur = p;
    } else if (cmd === "Z") { segments.push({ a: cur, b: start }); cur = start; cmd = null; }
    else return rounded;
    if (segments.length > before) {
      const s = segments[segments.length - 1];
      if ([...s.a, ...s.b].some(Number.isNaN)) return rounded;
      run++;
      if (run > 1 || s.c1) lonely = false;
    }
  }
  const unfilled = subpaths > 1 && lonely && !fillNone;
  if (subpaths > 1 && !fillNone && !unfilled) return rounded;
  const seen = new Set();
  const kept = segments.filter((s) => {
    if (!s.c1 && near(s.a, s.b, 0.01)) return false;
    const ends = [s.a, s.b].map((p) => p.map((n) => n.toFixed(2)).join(","));
    const key = s.c1 ? JSON.stringify(s) : ends.sort().join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const chains = [];
  for (const s of kept) {
    const chain = chains[chains.length - 1];
    if (chain && near(chain[chain.length - 1].b, s.a)) chain.push(s);
    else chains.push([s]);
  }
  const r = (p) => `${Math.round(p[0] * 100) / 100} ${Math.round(p[1] * 100) / 100}`;
  let out = "";
  for (const chain of chains) {
    out += `M${r(chain[0].a)}`;
    let points = [chain[0].a];
    const flush = () => {
      for (const p of thin(points).slice(1)) out += `L${r(p)}`;
    };
    for (const s of chain) {
      if (s.c1) {
        flush();
        out += `C${r(s.c1)} ${r(s.c2)} ${r(s.b)}`;
        points = [s.b];
      } else points.push(s.b);
    }
    flush();
    if (near(chain[0].a, chain[chain.length - 1].b) && chain.length > 2) out += "Z";
  }
  return out ? { d: out, unfilled } : rounded;
}

// "Generative" + " AI" as two tspans -> "Generative AI" as one, when styled alike.
function mergeWords(run) {
  const words = [...run.children];
  if (!words.length || words.some((w) => w.localName !== "tspan" || w.children.length)) return;
  const look = (w) => `${w.getAttribute("font-style")}|${w.getAttribute("font-weight")}`;
  if (words.some((w) => look(w) !== look(words[0]))) return;
  run.textContent = words.map((w) => w.textContent).join("");
  for (const name of ["font-style", "font-weight"]) {
    const value = words[0].getAttribute(name);
    if (value && value !== "normal") run.setAttribute(name, value);
  }
}
