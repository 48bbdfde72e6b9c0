// Ardoise's service worker: lets a board page open, and reopen, without a network.
//
// Network first for every page and asset of this server; each answer is kept in a cache, which
// answers instead when the network fails. The board itself, with the edits not sent yet, lives in
// the page's IndexedDB: the cached page only needs to start the app. The sync socket and the
// JSON API never go through the cache.
const CACHE = "ardoise-v1";
// Where Ardoise lives on its server ("/", or "/ardoise/" under a base path), and the version of
// the app's files, which the page registered this worker with (`sw.js?v=...`).
const BASE = new URL(self.registration.scope).pathname;
const VERSION = new URL(self.location.href).searchParams.get("v") || "";
const PKG = `${BASE}pkg/`;
// What every page loads: kept at once, so that the very first visit can be reopened offline.
const APP = ["ardoise.js", "ardoise_bg.wasm", "ardoise.css", "favicon.svg"].map((f) => `${PKG}${VERSION}/${f}`);

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      // Another version's files: no page of this version asks for them.
      .then(() => caches.open(CACHE))
      .then((cache) =>
        cache.keys().then((kept) =>
          Promise.all(
            kept
              .filter((r) => new URL(r.url).pathname.startsWith(PKG))
              .filter((r) => !new URL(r.url).pathname.startsWith(`${PKG}${VERSION}/`))
              .map((r) => cache.delete(r)),
          ),
        ),
      )
      .then(() => self.clients.claim())
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((pages) =>
        caches.open(CACHE).then((cache) => {
          const own = pages.map((p) => new URL(p.url)).filter((u) => u.origin === self.location.origin);
          // With the query: a board's link carries its secret, and its plain address may be closed.
          return cache.addAll([...APP, ...own.map((u) => u.pathname + u.search)]);
        }),
      )
      .catch(() => undefined),
  );
});

function cacheable(request) {
  const url = new URL(request.url);
  return (
    request.method === "GET" &&
    url.origin === self.location.origin &&
    !url.pathname.startsWith(`${BASE}api/`) &&
    url.pathname !== `${BASE}sync` &&
    url.pathname !== `${BASE}health`
  );
}

self.addEventListener("fetch", (event) => {
  if (!cacheable(event.request)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
        }
        return response;
      })
      .catch(() =>
        caches
          .match(event.request, { ignoreVary: true })
          .then((cached) => cached || Response.error()),
      ),
  );
});
