// The service worker behind quick capture (rendered by capture.views.service_worker).
// It keeps the quick-capture page and the static files it needs, so the page opens with no
// connection; the captures themselves wait in IndexedDB (see static/capture/capture.js). Nothing else is
// cached: no other page, no POST, nothing from another site.
const CACHE_PREFIX = "cpd-capture-";
const CACHE = CACHE_PREFIX + "{{ cache_version|escapejs }}";
const CAPTURE_PAGE = "{{ capture_url|escapejs }}";
const SHARED_LINK_PAGE = "{{ shared_link_url|escapejs }}";
const LOGOUT = "{{ logout_url|escapejs }}";
const STATIC_FILES = [{% for url in static_urls %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

// A page answered for a logged-in user, not a redirect to the login page.
const isKeepable = (response) => response.ok && !response.redirected;

async function keepCapturePage(cache) {
  try {
    const response = await fetch(CAPTURE_PAGE, { credentials: "same-origin" });
    if (isKeepable(response)) await cache.put(CAPTURE_PAGE, response);
  } catch {
    // Offline while installing: the page is kept the next time it is opened online.
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(STATIC_FILES);
      await keepCapturePage(cache);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

// Pages: the network first, so the page is always current when there is a connection.
async function capturePage(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (isKeepable(response) && new URL(request.url).search === "") {
      await cache.put(CAPTURE_PAGE, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(CAPTURE_PAGE);
    if (kept) return kept;
    throw error;
  }
}

// A link shared from the phone's Share menu opens the capture card; with no connection,
// the kept capture page opens instead, and static/capture/capture.js fills it from the shared link.
async function sharedLinkPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.match(CAPTURE_PAGE, { cacheName: CACHE });
    if (kept) return kept;
    throw error;
  }
}

// Static files: the cache first; their cache is replaced whenever any of them changes.
async function staticFile(request) {
  const kept = await caches.match(request, { cacheName: CACHE });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    // The kept page shows who was logged in: it goes when they log out.
    event.waitUntil(caches.open(CACHE).then((cache) => cache.delete(CAPTURE_PAGE)));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && url.pathname === CAPTURE_PAGE) {
    event.respondWith(capturePage(request));
  } else if (request.mode === "navigate" && url.pathname === SHARED_LINK_PAGE) {
    event.respondWith(sharedLinkPage(request));
  } else if (STATIC_FILES.includes(url.pathname)) {
    event.respondWith(staticFile(request));
  }
});
