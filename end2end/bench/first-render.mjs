// Browser timing of a board page in headless Chromium (Debian's), run by the load generator's
// `render` scenario:
//   node bench/first-render.mjs <board page URL> <post-its on the board> <samples>
// Each sample opens the page in a fresh browser context (empty HTTP cache, no service worker, as
// a first visit) and reads, in milliseconds since the navigation started: the first contentful
// paint, when every post-it is in the page, and when the app is live (hydrated, synced with the
// server, status "connected"), each checked at every animation frame (about 16 ms apart).
// Prints one JSON object with every sample on stdout.
import { benchArgs, launchChromium } from "./common.mjs";

const { url, notes, samples } = benchArgs("first-render.mjs", 5);
const browser = await launchChromium();
const runs = [];
for (let i = 0; i < samples; i++) {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 800 } });
  // Checked at every frame from the start: the time each condition first held.
  await context.addInitScript((n) => {
    const times = (window.__ardoiseTimes = {});
    const check = () => {
      const now = performance.now();
      if (times.notes === undefined && document.querySelectorAll("article.note").length >= n) times.notes = now;
      if (times.live === undefined && document.querySelector(".status-ok")) times.live = now;
      if (times.notes === undefined || times.live === undefined) requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, notes);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__ardoiseTimes.notes !== undefined && window.__ardoiseTimes.live !== undefined, null, {
    timeout: 60_000,
  });
  const { notes: allNotes, live } = await page.evaluate(() => window.__ardoiseTimes);
  const paint = await page.evaluate(
    () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  );
  const detail = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
    return {
      html_bytes: nav.decodedBodySize,
      html_response_end_ms: nav.responseEnd,
      dom_content_loaded_ms: nav.domContentLoadedEventEnd,
      wasm_response_end_ms: wasm ? wasm.responseEnd : null,
    };
  });
  runs.push({ first_contentful_paint_ms: paint, all_notes_ms: allNotes, live_ms: live, ...detail });
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ notes, runs }));
