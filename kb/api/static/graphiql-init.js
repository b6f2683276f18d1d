// GraphiQL on this server's /graphql, from vendored files only (see kb/api/explore.py).
"use strict";
(function () {
  const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", location.href).href });
  const defaultQuery = [
    "# legal-kb: the graph explorer is at /explore",
    "{",
    "  search(text: \"Yamamoto\", first: 5) {",
    "    score",
    "    node { __typename id }",
    "  }",
    "}",
    "",
  ].join("\n");
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
  );
})();
