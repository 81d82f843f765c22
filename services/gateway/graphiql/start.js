// Starts GraphiQL on the page the gateway serves at /graphiql (services/gateway/src/graphiql.ts).
// A plain browser script, loaded after the UMD builds of React, ReactDOM and GraphiQL, which
// define the globals used here; everything comes from the gateway itself (no CDN), so the page
// works offline and its content security policy allows nothing but 'self'.
/* global React, ReactDOM, GraphiQL */
const container = document.getElementById('graphiql');
const url = new URL(container.dataset.endpoint, window.location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
// Subscriptions go over the WebSocket; the headers editor's `authorization` becomes the
// connection-init payload the gateway reads the caller from.
const fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href });
ReactDOM.createRoot(container).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
);
