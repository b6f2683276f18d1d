// The graph explorer: a client of the public GraphQL API (search, neighborhood, path, node,
// nodes, stats) drawing with Cytoscape.js. The view lives in the URL fragment so that it can be
// shared: #focus=<id>&depth=1&mode=argument&x=<expanded ids>&add=<added ids>&hide=<labels>
// &path=<from>,<to>&sel=<id>.
"use strict";
(function () {
  // Relationship types of argument mode: everything but the passage plumbing (HAS_PASSAGE,
  // MENTIONED_IN, EVIDENCED_BY), through which every entity of a sentence looks related.
  const ARGUMENT_TYPES = [
    "ASSERTS", "INVOKES", "CITES_PRECEDENT", "SUPPORTS", "ATTACKS", "ABOUT", "PARTICIPATED_IN",
    "RELATED_TO", "MEMBER_OF", "LEADS", "PUBLISHED_BY", "CITES_SOURCE",
  ];
  const MAX_NODES = 150;
  const PATH_HOPS = 6;

  const LABELS = [
    { label: "Actor", color: "#4e79a7", shape: "ellipse" },
    { label: "Claim", color: "#f28e2b", shape: "round-rectangle" },
    { label: "Concept", color: "#59a14f", shape: "diamond" },
    { label: "Precedent", color: "#b07aa1", shape: "hexagon" },
    { label: "Event", color: "#e15759", shape: "star" },
    { label: "Document", color: "#9c755f", shape: "rectangle" },
    { label: "Passage", color: "#bab0ac", shape: "rectangle" },
    { label: "Outlet", color: "#76b7b2", shape: "triangle" },
  ];
  const COLOR = Object.fromEntries(LABELS.map((l) => [l.label, l.color]));

  // Edge styles by type and property; the legend is drawn from this same table.
  const EDGE_STYLES = [
    { name: "analogizes (precedent)", sel: 'edge[type="CITES_PRECEDENT"][treatment="analogizes"]',
      color: "#1f77b4", line: "solid", width: 3 },
    { name: "distinguishes (precedent)",
      sel: 'edge[type="CITES_PRECEDENT"][treatment="distinguishes"]',
      color: "#d62728", line: "dashed", width: 3 },
    { name: "mentions (precedent)", sel: 'edge[type="CITES_PRECEDENT"][treatment="mentions"]',
      color: "#999999", line: "dotted", width: 2 },
    { name: "supports (claim → claim)", sel: 'edge[type="SUPPORTS"]', color: "#2ca02c",
      line: "solid", width: 3 },
    { name: "attacks (claim → claim)", sel: 'edge[type="ATTACKS"]', color: "#d62728",
      line: "solid", width: 3, arrow: "tee" },
    { name: "invokes, for its application", sel: 'edge[type="INVOKES"][stance="supports"]',
      color: "#2ca02c", line: "solid", width: 2 },
    { name: "invokes, disputing it", sel: 'edge[type="INVOKES"][stance="disputes"]',
      color: "#d62728", line: "dashed", width: 2 },
    { name: "invokes, neutral", sel: 'edge[type="INVOKES"][stance="neutral"]', color: "#59a14f",
      line: "dotted", width: 2 },
    { name: "asserts (speaker → claim)", sel: 'edge[type="ASSERTS"]', color: "#4e79a7",
      line: "solid", width: 1.5 },
    { name: "took part in (role)", sel: 'edge[type="PARTICIPATED_IN"]', color: "#e15759",
      line: "solid", width: 1.5 },
    { name: "about", sel: 'edge[type="ABOUT"]', color: "#c7c7c7", line: "dotted", width: 1 },
    { name: "other", sel: null, color: "#b5b5b5", line: "solid", width: 1 },
  ];
  const STANCE_BORDER = { SUPPORTS: "#2ca02c", ATTACKS: "#d62728", NEUTRAL: "#888888" };

  const $ = (id) => document.getElementById(id);

  /** A DOM element from a tag, attributes and children (text is never parsed as HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "class") el.className = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  // ---------------------------------------------------------------- the API and its errors
  class ApiError extends Error {}

  /** POST a query to /graphql; errors of any kind become one readable ApiError. */
  async function gql(query, variables) {
    let response;
    try {
      response = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ query, variables }),
      });
    } catch (exc) {
      throw new ApiError(`Cannot reach the API at /graphql (${exc.message}). Is kb serve running?`);
    }
    let body;
    try {
      body = await response.json();
    } catch (_exc) {
      throw new ApiError(`The API answered HTTP ${response.status} ${response.statusText}, not JSON.`);
    }
    const errors = body.errors || (body.error ? [{ message: body.error, extensions: { code: body.code } }] : []);
    if (errors.length) {
      const lines = errors.map((e) => {
        const code = (e.extensions && e.extensions.code) || `HTTP ${response.status}`;
        const where = e.path ? ` at ${e.path.join(".")}` : "";
        return `${code}${where}: ${e.message}`;
      });
      const down = errors.some((e) => e.extensions && e.extensions.code === "STORE_UNAVAILABLE");
      const head = down
        ? "The graph store is unavailable. The API reconnects by itself: retry in a few seconds."
        : "The API refused the query.";
      throw new ApiError(`${head}\n${lines.join("\n")}`);
    }
    if (!response.ok) throw new ApiError(`The API answered HTTP ${response.status}.`);
    return body.data;
  }

  function showError(exc, retry) {
    const banner = $("banner");
    banner.className = "";
    banner.textContent = exc instanceof ApiError ? exc.message : `Unexpected error: ${exc.message}`;
    if (retry) {
      banner.append(" ", h("button", { type: "button", id: "retry",
        onclick: () => act(retry, retry) }, "Retry"));
    }
    banner.hidden = false;
    document.body.dataset.state = "error";
  }

  function clearError() {
    $("banner").hidden = true;
    $("banner").textContent = "";
  }

  /** Run an action of the user's; its failure is shown (with a Retry button when `retry` is
   * given), not thrown. */
  async function act(fn, retry) {
    clearError();
    document.body.dataset.state = "busy";
    try {
      await fn();
      document.body.dataset.state = "ready";
    } catch (exc) {
      showError(exc, retry);
    }
  }

  const GRAPH_FIELDS = `truncated
    nodes { id label name kind }
    edges { id source target type treatment stance role document }`;
  const Q_NEIGHBORHOOD = `query Neighborhood($id: ID!, $depth: Int!, $maxNodes: Int!,
      $relTypes: [RelationshipType!]) {
    neighborhood(id: $id, depth: $depth, maxNodes: $maxNodes, relTypes: $relTypes) { ${GRAPH_FIELDS} }
  }`;
  const Q_PATH = `query Path($from: ID!, $to: ID!, $maxHops: Int!) {
    path(from: $from, to: $to, maxHops: $maxHops, mode: ARGUMENT) {
      nodes { id label name kind }
      edges { id source target type treatment stance role document }
    }
  }`;
  const Q_SEARCH = `query Search($text: String!, $labels: [NodeLabel!], $first: Int!) {
    search(text: $text, labels: $labels, first: $first) {
      score
      node {
        __typename id
        ... on Agent { name }
        ... on Concept { name }
        ... on Precedent { name }
        ... on Event { name date }
        ... on Claim { text }
        ... on Passage { text }
        ... on Document { title }
      }
    }
  }`;
  const Q_NODE = `query Node($id: ID!) {
    node(id: $id) {
      __typename id
      ... on Claim {
        text stance modality
        speaker { __typename id name }
        evidence { quote start end prefix suffix passage { id text start end } }
        document { ...Doc }
        precedents { treatment precedent { id name } }
        concepts { id name }
      }
      ... on Actor { name type aliases }
      ... on Outlet { name domain }
      ... on Event { name date dateText participants { role actor { id name } } }
      ... on Precedent { name date summary aliases }
      ... on Concept { name definition aliases }
      ... on Document { ...Doc }
      ... on Passage { text document { ...Doc } }
    }
  }
  fragment Doc on Document { id title publisher author published url }`;
  const Q_DOCUMENT = `query Document($id: ID!) { node(id: $id) { ... on Document { ...Doc } } }
  fragment Doc on Document { id title publisher author published url }`;
  const Q_DATES = `query Dates($ids: [ID!]!) {
    nodes(ids: $ids) { id ... on Event { date dateText } }
  }`;

  // ---------------------------------------------------------------- the graph
  const cy = cytoscape({
    container: $("cy"),
    minZoom: 0.1,
    maxZoom: 4,
    autounselectify: true,
    style: [
      { selector: "node", style: {
        label: "data(short)", "font-size": 9, "text-wrap": "wrap", "text-max-width": 110,
        "text-valign": "bottom", "text-margin-y": 3, width: 24, height: 24,
        "border-width": 1, "border-color": "#ffffff", color: "#222" } },
      ...LABELS.map((l) => ({ selector: `node[label="${l.label}"]`,
        style: { "background-color": l.color, shape: l.shape } })),
      ...Object.entries(STANCE_BORDER).map(([kind, color]) => ({
        selector: `node[label="Claim"][kind="${kind}"]`,
        style: { "border-width": 3, "border-color": color } })),
      { selector: "node.focus", style: { width: 34, height: 34, "font-weight": "bold" } },
      { selector: "node.picked", style: { "overlay-color": "#174ea6", "overlay-opacity": 0.25,
        "overlay-padding": 6 } },
      { selector: "node.current", style: { "border-width": 4, "border-color": "#111" } },
      { selector: "edge", style: {
        width: 1, "line-color": "#b5b5b5", "target-arrow-color": "#b5b5b5",
        "target-arrow-shape": "triangle", "arrow-scale": 0.8, "curve-style": "bezier",
        label: "data(tag)", "font-size": 8, color: "#555", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.8,
        "text-background-padding": 1 } },
      ...EDGE_STYLES.filter((s) => s.sel).map((s) => ({ selector: s.sel, style: {
        "line-color": s.color, "target-arrow-color": s.color, "line-style": s.line,
        width: s.width, ...(s.arrow ? { "target-arrow-shape": s.arrow } : {}) } })),
      { selector: ".on-path", style: { "underlay-color": "#ffd400", "underlay-opacity": 0.6,
        "underlay-padding": 5 } },
      { selector: ".hidden-label", style: { display: "none" } },
    ],
  });

  const state = {
    focus: null, depth: 1, mode: "argument", expanded: [], added: [], hidden: new Set(),
    path: null, sel: null, picks: [],
  };

  // Ids keep their colons in the URL (`#focus=actor:qasem-soleimani` reads as it is).
  const enc = (id) => encodeURIComponent(id).replace(/%3A/gi, ":");
  const short = (s, n = 48) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s || "");

  function edgeTag(e) {
    if (e.type === "CITES_PRECEDENT" && e.treatment) return e.treatment;
    if (e.type === "INVOKES" && e.stance) return `invokes (${e.stance})`;
    if (e.type === "PARTICIPATED_IN" && e.role) return e.role;
    if (e.type === "SUPPORTS" || e.type === "ATTACKS") return e.type.toLowerCase();
    return "";
  }

  /** Merge a Graph answer into the view; edges are keyed by their ends and type, since a
   * path and a neighbourhood may name the same relationship differently. Returns the ids. */
  function merge(graph) {
    const ids = [];
    cy.batch(() => {
      for (const n of graph.nodes) {
        ids.push(n.id);
        const data = { id: n.id, label: n.label, name: n.name, kind: n.kind,
                       short: short(n.name) };
        const old = cy.getElementById(n.id);
        if (old.nonempty()) old.data({ ...data, date: old.data("date") });
        else cy.add({ group: "nodes", data });
      }
      for (const e of graph.edges) {
        const lower = (v) => (v ? String(v).toLowerCase() : null);
        const data = { id: `${e.type}|${e.source}|${e.target}`, apiId: e.id, source: e.source,
          target: e.target, type: e.type, treatment: lower(e.treatment), stance: lower(e.stance),
          role: e.role || null, document: e.document || null };
        data.tag = edgeTag(data);
        ids.push(data.id);
        const old = cy.getElementById(data.id);
        if (old.empty()) {
          if (cy.getElementById(e.source).nonempty() && cy.getElementById(e.target).nonempty()) {
            cy.add({ group: "edges", data });
          }
        } else if (data.treatment || data.stance || data.role) {
          old.data(data);
        }
      }
    });
    return ids;
  }

  function applyHidden() {
    cy.batch(() => {
      cy.elements().removeClass("hidden-label");
      for (const label of state.hidden) {
        cy.nodes(`[label="${label}"]`).not(".on-path").addClass("hidden-label");
      }
    });
    for (const box of document.querySelectorAll("#legend input[data-label]")) {
      box.checked = !state.hidden.has(box.dataset.label);
    }
  }

  /** A number in [0, 1) from a string: layouts start from the same places every time, so a
   * shared link draws the same picture. */
  function unit(text, salt) {
    let x = 2166136261 ^ salt;
    for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 16777619);
    return ((x >>> 0) % 10007) / 10007;
  }

  /** Place nodes that were just added next to a neighbour already drawn (or, on a first
   * drawing, on a circle), so that the layout starts from the view the user knows. */
  function placeNew() {
    const fresh = cy.nodes().filter((n) => !n.scratch("_placed"));
    fresh.forEach((n, i) => {
      const anchor = n.neighborhood("node").filter((m) => m.scratch("_placed"))[0];
      const p = anchor ? anchor.position() : { x: 0, y: 0 };
      const angle = anchor ? 2 * Math.PI * unit(n.id(), 1) : (2 * Math.PI * i) / fresh.length;
      const r = anchor ? 60 + 60 * unit(n.id(), 2) : 40 * Math.sqrt(fresh.length);
      n.position({ x: p.x + r * Math.cos(angle), y: p.y + r * Math.sin(angle) });
    });
    cy.nodes().scratch("_placed", true);
  }

  function layout() {
    return new Promise((resolve) => {
      placeNew();
      const visible = cy.elements().not(".hidden-label");
      const n = Math.max(1, visible.nodes().length);
      const l = visible.layout({
        name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: () => 400000, idealEdgeLength: () => 100, nodeOverlap: 20, gravity: 80,
        // cose costs the square of the nodes per iteration: fewer iterations on big views
        padding: 30, fit: true, numIter: Math.max(250, Math.min(1000, Math.round(60000 / n))),
      });
      l.one("layoutstop", () => {
        if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(visible); }
        resolve();
      });
      l.run();
    });
  }

  /** Draw again after a change: hidden labels, layout, timeline, URL. */
  async function redraw() {
    applyHidden();
    await layout();
    // When the first graph was on screen, in ms since navigation (the browser test reads it).
    if (window.explorer.drawnAt === undefined && cy.nodes().length) {
      window.explorer.drawnAt = performance.now();
    }
    cy.nodes().removeClass("focus");
    if (state.focus) cy.getElementById(state.focus).addClass("focus");
    await drawTimeline();
    writeHash();
    status();
  }

  function status() {
    const n = cy.nodes().length;
    const e = cy.edges().length;
    $("status").textContent = n ? `${n} nodes, ${e} edges on screen` : "";
  }

  function relTypes() {
    return state.mode === "argument" ? ARGUMENT_TYPES : null;
  }

  async function fetchNeighborhood(id, depth) {
    const data = await gql(Q_NEIGHBORHOOD, { id, depth, maxNodes: MAX_NODES,
                                             relTypes: relTypes() });
    const g = data.neighborhood;
    if (g.truncated) info(`The neighbourhood was cut at ${MAX_NODES} nodes.`);
    return g;
  }

  function info(text) {
    const banner = $("banner");
    banner.className = "info";
    banner.textContent = text;
    banner.hidden = false;
  }

  /** Empty the view and make `id` its focus (drawing comes after the merges). */
  function resetView(id) {
    cy.elements().remove();
    Object.assign(state, { focus: id, expanded: [], added: [], path: null, sel: null,
                           picks: [] });
    $("path-result").replaceChildren();
    $("path-ends").textContent = "Shift-click two nodes.";
    $("find-path").disabled = true;
  }

  /** Replace the view with a node's neighbourhood. */
  async function openFocus(id) {
    const g = await fetchNeighborhood(id, state.depth);
    resetView(id);
    merge(g);
    await redraw();
    pick(id, false);
    await select(id);
  }

  async function expand(id) {
    merge(await fetchNeighborhood(id, 1));
    if (!state.expanded.includes(id)) state.expanded.push(id);
    await redraw();
  }

  /** One node (a search hit) as a graph of one. */
  async function fetchOne(id) {
    const data = await gql(Q_NEIGHBORHOOD, { id, depth: 1, maxNodes: 1, relTypes: relTypes() });
    return { nodes: data.neighborhood.nodes.filter((n) => n.id === id), edges: [] };
  }

  /** Put one node on screen next to the current view. */
  async function addNode(id) {
    merge(await fetchOne(id));
    if (!state.added.includes(id) && id !== state.focus) state.added.push(id);
    await redraw();
  }

  async function findPath(from, to) {
    showPath(from, to, (await gql(Q_PATH, { from, to, maxHops: PATH_HOPS })).path);
    await redraw();
  }

  /** Merge a path into the view, mark it, and list its steps in the side panel. */
  function showPath(from, to, path) {
    const list = $("path-result");
    list.replaceChildren();
    cy.elements().removeClass("on-path");
    state.path = [from, to];
    if (!path) {
      list.append(h("li", { class: "muted" },
        `No path within ${PATH_HOPS} hops in argument mode.`));
      return;
    }
    const ids = merge(path);
    cy.collection(ids.map((i) => cy.getElementById(i))).addClass("on-path");
    const byId = Object.fromEntries(path.nodes.map((n) => [n.id, n]));
    pathOrder(from, path).forEach((step, i) => {
      const n = byId[step.id];
      list.append(h("li", { "data-id": n.id },
        i > 0 ? h("span", { class: "via" }, `${step.via} · `) : null,
        nodeLink(n.id, `${n.label}: ${short(n.name, 70)}`)));
    });
  }

  /** The path's nodes from `from` on, each with the relationship that reached it. */
  function pathOrder(from, graph) {
    const steps = [{ id: from, via: null }];
    const used = new Set();
    let at = from;
    for (let i = 0; i < graph.edges.length; i++) {
      const k = graph.edges.findIndex((e, j) => !used.has(j) && (e.source === at || e.target === at));
      if (k < 0) break;
      used.add(k);
      const e = graph.edges[k];
      const next = e.source === at ? e.target : e.source;
      steps.push({ id: next, via: `${e.source === at ? "" : "← "}${e.type}` });
      at = next;
    }
    return steps;
  }

  // ---------------------------------------------------------------- selection and details
  function nodeLink(id, text) {
    return h("a", { class: "node-link", href: `#focus=${enc(id)}`,
      onclick: (ev) => { ev.preventDefault(); act(() => showOrOpen(id)); } }, text);
  }

  async function showOrOpen(id) {
    if (cy.getElementById(id).nonempty()) await select(id);
    else await openFocus(id);
  }

  function pick(id, additive) {
    if (additive) {
      state.picks = state.picks.filter((p) => p !== id);
      state.picks.push(id);
      if (state.picks.length > 2) state.picks.shift();
    } else {
      state.picks = [id];
    }
    cy.nodes().removeClass("picked");
    for (const p of state.picks) cy.getElementById(p).addClass("picked");
    const names = state.picks.map((p) => cy.getElementById(p).data("name") || p);
    $("path-ends").textContent = state.picks.length === 2
      ? `From “${short(names[0], 60)}” to “${short(names[1], 60)}”.`
      : "Shift-click a second node.";
    $("find-path").disabled = state.picks.length !== 2;
  }

  function safeUrl(url) {
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (_exc) {
      return null;
    }
  }

  function row(term, ...value) {
    const parts = value.filter((v) => v !== null && v !== undefined && v !== "");
    return parts.length ? [h("dt", {}, term), h("dd", {}, ...parts)] : [];
  }

  function documentRows(doc) {
    if (!doc) return row("document", "unknown");
    const url = doc.url && safeUrl(doc.url);
    return [
      ...row("document", url ? h("a", { href: url, target: "_blank", rel: "noopener" },
        doc.title || doc.id) : (doc.title || doc.id)),
      ...row("publisher", doc.publisher || "unknown"),
      ...row("author", doc.author),
      ...row("date", doc.published || "unknown"),
      ...row("link", url ? h("a", { href: url, target: "_blank", rel: "noopener" }, url)
                         : "none recorded"),
    ];
  }

  /** The claim's sentence inside its passage, the quoted words marked, with the words around
   * it (from the anchor's prefix and suffix) in grey. */
  function quoteInPassage(ev) {
    const quote = ev.quote || "";
    const p = ev.passage;
    if (!p || !quote) return h("blockquote", { class: "passage" }, h("mark", {}, quote));
    let at = typeof ev.start === "number" && typeof p.start === "number" ? ev.start - p.start : -1;
    if (at < 0 || p.text.slice(at, at + quote.length) !== quote) at = p.text.indexOf(quote);
    if (at < 0) {
      return h("blockquote", { class: "passage" }, p.text, h("br"), h("mark", {}, quote));
    }
    const before = p.text.slice(0, at);
    const after = p.text.slice(at + quote.length);
    const prefix = ev.prefix || "";
    const suffix = ev.suffix || "";
    const ctxBefore = prefix.length > before.length ? prefix.slice(0, prefix.length - before.length) : "";
    const ctxAfter = suffix.length > after.length ? suffix.slice(after.length) : "";
    return h("blockquote", { class: "passage", "data-passage": p.id },
      ctxBefore ? h("span", { class: "ctx" }, `…${ctxBefore}`) : null,
      before, h("mark", { class: "quote" }, quote), after,
      ctxAfter ? h("span", { class: "ctx" }, `${ctxAfter}…`) : null);
  }

  function detailRows(n) {
    switch (n.__typename) {
      case "Claim":
        return [
          ...row("speaker", n.speaker ? nodeLink(n.speaker.id, n.speaker.name) : "unknown"),
          ...row("stance", n.stance && n.stance.toLowerCase()),
          ...row("modality", n.modality),
          ...documentRows(n.document),
          ...row("precedents", ...n.precedents.flatMap((c, i) => [i ? "; " : "",
            nodeLink(c.precedent.id, c.precedent.name),
            c.treatment ? ` (${c.treatment.toLowerCase()})` : ""])),
          ...row("concepts", ...n.concepts.flatMap((c, i) => [i ? "; " : "",
            nodeLink(c.id, c.name)])),
        ];
      case "Actor":
        return [...row("type", n.type && n.type.toLowerCase()),
                ...row("aliases", n.aliases.join("; "))];
      case "Outlet":
        return row("domain", n.domain);
      case "Event":
        return [...row("date", n.date || "unknown"), ...row("date text", n.dateText),
          ...row("participants", ...n.participants.flatMap((p, i) => [i ? "; " : "",
            nodeLink(p.actor.id, p.actor.name), p.role ? ` (${p.role})` : ""]))];
      case "Precedent":
        return [...row("date", n.date), ...row("summary", n.summary),
                ...row("aliases", n.aliases.join("; "))];
      case "Concept":
        return [...row("definition", n.definition), ...row("aliases", n.aliases.join("; "))];
      case "Document":
        return documentRows(n);
      case "Passage":
        return documentRows(n.document);
      default:
        return [];
    }
  }

  async function select(id) {
    const data = await gql(Q_NODE, { id });
    const n = data.node;
    const panel = $("details");
    cy.nodes().removeClass("current");
    if (!n) {
      panel.replaceChildren(h("h2", {}, "Details"), h("p", { class: "muted" }, `No node ${id}.`));
      return;
    }
    state.sel = id;
    const el = cy.getElementById(id);
    el.addClass("current");
    const label = n.__typename;
    const title = n.name || n.title ||
      (label === "Claim" ? `said by ${n.speaker ? n.speaker.name : "an unknown speaker"}` : n.id);
    panel.replaceChildren(...[
      h("h2", {}, "Details"),
      h("h3", { class: "title" }, h("span", { class: "swatch", style: `background:${COLOR[label] || "#999"}` }),
        " ", `${label}: `, short(title, 120)),
      label === "Claim" ? quoteInPassage(n.evidence) : null,
      label === "Passage" ? h("blockquote", { class: "passage" }, n.text) : null,
      h("dl", {}, ...detailRows(n)),
      h("p", { class: "muted id" }, n.id),
      h("div", { class: "actions" },
        h("button", { type: "button", id: "expand-node", onclick: () => act(() => expand(id)) },
          "Expand"),
        h("button", { type: "button", id: "focus-node", onclick: () => act(() => openFocus(id)) },
          "Focus here"),
        h("button", { type: "button", id: "hide-label", onclick: () => act(async () => {
          state.hidden.add(label); await redraw(); }) }, `Hide ${label}s`)),
    ].filter(Boolean));
    writeHash();
    for (const t of document.querySelectorAll("#timeline .tick")) {
      t.classList.toggle("selected", t.dataset.id === id);
    }
  }

  /** A relationship's details: its ends, its properties and the document it was read from. */
  async function showEdge(edge) {
    const d = edge.data();
    const doc = d.document ? (await gql(Q_DOCUMENT, { id: d.document })).node : null;
    const end = (id) => nodeLink(id, short(cy.getElementById(id).data("name") || id, 70));
    $("details").replaceChildren(
      h("h2", {}, "Details"),
      h("h3", { class: "title" }, `Relationship: ${d.type}`),
      h("dl", {}, ...row("from", end(d.source)), ...row("to", end(d.target)),
        ...row("treatment", d.treatment), ...row("stance", d.stance), ...row("role", d.role),
        ...(doc ? documentRows(doc) : row("document", "not recorded"))));
  }

  cy.on("tap", "edge", (ev) => act(() => showEdge(ev.target)));
  cy.on("tap", "node", (ev) => {
    const id = ev.target.id();
    const o = ev.originalEvent || {};
    pick(id, Boolean(o.shiftKey || o.ctrlKey || o.metaKey));
    act(() => select(id));
  });

  // ---------------------------------------------------------------- timeline
  async function drawTimeline() {
    const events = cy.nodes('[label="Event"]').not(".hidden-label");
    const missing = events.filter((n) => n.data("date") === undefined).map((n) => n.id());
    if (missing.length) {
      const data = await gql(Q_DATES, { ids: missing });
      for (const d of data.nodes) {
        if (d) cy.getElementById(d.id).data({ date: d.date || null, dateText: d.dateText || null });
      }
    }
    const box = $("timeline");
    const dated = events.filter((n) => n.data("date")).sort((a, b) =>
      a.data("date").localeCompare(b.data("date")));
    const undated = events.length - dated.length;
    if (!events.length) {
      box.replaceChildren(h("p", { class: "muted" }, "No events on screen."));
      return;
    }
    // In date order, evenly spaced: a debate's events bunch within days of the action while
    // the ones it recalls lie decades back, so a scale proportional to time would pile them up.
    const children = dated.map((n) => h("button", { type: "button", class: "tick",
      "data-id": n.id(), title: `${n.data("date")} ${n.data("name")}`,
      onclick: () => { pick(n.id(), false); act(() => select(n.id())); } },
      h("span", { class: "dot" }), h("span", { class: "date" }, n.data("date")),
      h("span", { class: "name" }, n.data("name"))));
    if (undated) children.push(h("span", { class: "undated" }, `and ${undated} undated`));
    box.replaceChildren(...children);
  }

  // ---------------------------------------------------------------- URL
  function writeHash() {
    const parts = [];
    const put = (k, v) => parts.push(`${k}=${v}`);
    const list = (ids) => ids.map(enc).join(",");
    if (state.focus) put("focus", enc(state.focus));
    put("depth", state.depth);
    if (state.mode !== "argument") put("mode", state.mode);
    if (state.expanded.length) put("x", list(state.expanded));
    if (state.added.length) put("add", list(state.added));
    if (state.hidden.size) put("hide", list([...state.hidden]));
    if (state.path) put("path", list(state.path));
    if (state.sel) put("sel", enc(state.sel));
    const hash = `#${parts.join("&")}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  function readHash() {
    const out = {};
    for (const part of location.hash.replace(/^#/, "").split("&")) {
      if (!part) continue;
      const i = part.indexOf("=");
      const k = i < 0 ? part : part.slice(0, i);
      out[k] = i < 0 ? "" : part.slice(i + 1);
    }
    const list = (v) => (v ? v.split(",").filter(Boolean).map(decodeURIComponent) : []);
    return {
      focus: out.focus ? decodeURIComponent(out.focus) : null,
      depth: out.depth === undefined ? 1 : Number(out.depth),
      mode: out.mode === "all" ? "all" : "argument",
      expanded: list(out.x), added: list(out.add), hidden: list(out.hide),
      path: list(out.path), sel: out.sel ? decodeURIComponent(out.sel) : null,
    };
  }

  /** Rebuild the view the URL describes (a shared link, or a fragment typed by hand). */
  async function restore() {
    const v = readHash();
    state.depth = v.depth;
    state.mode = v.mode;
    state.hidden = new Set(v.hidden);
    $("depth").value = String(v.depth);
    $("mode").value = v.mode;
    if (!v.focus) return;
    // Everything the link names is fetched first and drawn once (a layout per step would
    // cost more than the queries on a large neighbourhood).
    const g = await fetchNeighborhood(v.focus, v.depth);
    resetView(v.focus);
    merge(g);
    for (const id of v.expanded) {
      merge(await fetchNeighborhood(id, 1));
      state.expanded.push(id);
    }
    for (const id of v.added) {
      merge(await fetchOne(id));
      if (id !== v.focus) state.added.push(id);
    }
    if (v.path.length === 2) {
      showPath(v.path[0], v.path[1],
               (await gql(Q_PATH, { from: v.path[0], to: v.path[1], maxHops: PATH_HOPS })).path);
    }
    await redraw();
    const sel = v.sel && cy.getElementById(v.sel).nonempty() ? v.sel : v.focus;
    pick(sel, false);
    await select(sel);
  }

  // ---------------------------------------------------------------- search, legend, exports
  async function search(text) {
    const label = $("search-label").value;
    const data = await gql(Q_SEARCH, { text, labels: label ? [label.toUpperCase()] : null,
                                       first: 20 });
    const list = $("hits");
    list.replaceChildren();
    if (!data.search.length) list.append(h("li", { class: "muted" }, `No hit for “${text}”.`));
    for (const hit of data.search) {
      const n = hit.node;
      const name = n.name || n.title || n.text || n.id;
      list.append(h("li", { "data-id": n.id, "data-label": n.__typename },
        h("span", { class: "tag", style: `background:${COLOR[n.__typename] || "#999"}` },
          n.__typename),
        h("button", { type: "button", class: "open", title: `Open the neighbourhood of ${n.id}`,
          onclick: () => act(() => openFocus(n.id)) }, short(name, 90)),
        h("button", { type: "button", class: "add", title: "Add to the view",
          onclick: () => act(() => addNode(n.id)) }, "+")));
    }
  }

  function lineSample(style) {
    const dash = { solid: "", dashed: "6 3", dotted: "2 3" }[style.line];
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "30");
    svg.setAttribute("height", "10");
    const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    for (const [k, v] of Object.entries({ x1: 1, y1: 5, x2: 29, y2: 5, stroke: style.color,
      "stroke-width": Math.max(1.5, style.width), "stroke-dasharray": dash })) {
      line.setAttribute(k, v);
    }
    svg.append(line);
    return svg;
  }

  function drawLegend() {
    const rows = LABELS.map((l) => h("label", { class: "legend-row" },
      h("input", { type: "checkbox", checked: true, "data-label": l.label,
        onchange: (ev) => act(async () => {
          if (ev.target.checked) state.hidden.delete(l.label);
          else state.hidden.add(l.label);
          await redraw();
        }) }),
      h("span", { class: "swatch", style: `background:${l.color}` }), l.label));
    const borders = Object.entries(STANCE_BORDER).map(([k, c]) => h("div", { class: "legend-row" },
      h("span", { class: "swatch", style: `background:${COLOR.Claim};border:3px solid ${c}` }),
      `claim, stance ${k.toLowerCase()}`));
    const edges = EDGE_STYLES.map((s) => h("div", { class: "legend-row" }, lineSample(s), s.name));
    $("legend").replaceChildren(h("p", { class: "muted" }, "Untick a label to hide it."), ...rows,
      ...borders, ...edges);
    for (const l of LABELS) {
      $("search-label").append(h("option", { value: l.label }, l.label));
    }
  }

  function download(name, blob) {
    const a = h("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function exportPng() {
    download("graph.png", cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2 }));
  }

  function exportJson() {
    const json = cy.json();
    const view = { format: "cytoscape.js", generated_by: "legal-kb explorer", url: location.href,
                   elements: json.elements, style: json.style };
    download("graph.cyjs", new Blob([JSON.stringify(view, null, 1)],
                                    { type: "application/json" }));
  }

  // ---------------------------------------------------------------- start
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("search").value.trim();
    if (text) act(() => search(text));
    else $("hits").replaceChildren(h("li", { class: "muted" }, "Type a word to search for."));
  });
  $("find-path").addEventListener("click", () => {
    const [a, b] = state.picks;
    act(() => findPath(a, b));
  });
  $("depth").addEventListener("change", (ev) => {
    state.depth = Number(ev.target.value);
    if (state.focus) act(() => openFocus(state.focus));
  });
  $("mode").addEventListener("change", (ev) => {
    state.mode = ev.target.value;
    if (state.focus) act(() => openFocus(state.focus));
  });
  $("export-png").addEventListener("click", exportPng);
  $("export-json").addEventListener("click", exportJson);
  window.addEventListener("hashchange", () => act(restore, restore));

  drawLegend();
  window.explorer = { cy, state };
  /** The first view; on a page with no view yet, the graph's size (which also says at once
   * whether the store answers). Not asked beside a view: counting a large graph costs the
   * store more than a neighbourhood does (seconds at 10k documents). */
  async function start() {
    if (readHash().focus) {
      await restore();
      return;
    }
    const data = await gql("{ stats { totalNodes totalRelationships } }");
    const { totalNodes, totalRelationships } = data.stats;
    $("status").textContent = `${totalNodes} nodes, ${totalRelationships} relationships in the graph`;
    await restore();
  }
  act(start, start);
})();
