// The browser tests' fixture (a fresh server per test, and no uncaught error in any page it opened)
// and the opening of Ardoise pages in fresh browser contexts.
import { test as base, expect } from "@playwright/test";
import { ArdoiseServer } from "./server.mjs";

export { expect };

/** Uncaught errors of every page opened with these helpers; checked after each test. */
const pageErrors = [];
/** Every URL the pages asked for: none may leave the Ardoise server (no CDN, no fonts). */
const requested = [];
/** Other origins the test's server is reached at (a reverse proxy in front of it). */
const proxies = [];

/** `origin` (`https://127.0.0.1:8443`) serves the test's server too: requests to it are not elsewhere. */
export function alsoServedAt(origin) {
  proxies.push(origin);
}
/** The browser contexts opened with these helpers, closed when their test ends: a page left open
 * would go on asking its server while the next test runs. */
const contexts = [];

/** Playwright's `test`, with `server`: the real ardoise binary on its own database and port. */
export const test = base.extend({
  // How each test's server is started (`ArdoiseServer.start`'s options): `test.use` changes it.
  serverOptions: [{}, { option: true }],
  server: async ({ serverOptions }, use) => {
    const server = await ArdoiseServer.start(serverOptions);
    pageErrors.length = 0;
    requested.length = 0;
    proxies.length = 0;
    await use(server);
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await server.stop();
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
    const ours = [server.url, ...proxies.map((origin) => origin + server.base)].map((prefix) => prefix + "/");
    const elsewhere = requested.filter((url) => !ours.some((prefix) => url.startsWith(prefix)) && !/^(data|blob):/.test(url));
    expect(elsewhere, "requests to anything but the Ardoise server").toEqual([]);
  },
});

/** A new browser context (its own storage: a different person) and a page in it. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(context);
  // Any Content-Security-Policy violation fails the test (the CSP is on for every page).
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    const text = message.text();
    if (/CSP violation|Content Security Policy/.test(text)) pageErrors.push(text);
  });
  page.on("request", (request) => requested.push(request.url()));
  return page;
}

/** Opens a board and waits until the app is live (hydrated and synced). */
export async function openBoard(browser, server, path, options = {}) {
  const page = await newPage(browser, options);
  await page.goto(server.url + path);
  await expect(page.locator(".status-ok")).toBeVisible();
  return page;
}

/** A post-it of a page, by (part of) its text. */
export function note(page, text) {
  return page.locator(`.note[aria-label*="${text}"]`);
}

/** The `left`/`top` of a post-it, in canvas pixels. */
export async function place(note) {
  return note.evaluate((el) => [parseFloat(el.style.left), parseFloat(el.style.top)]);
}

/** Drags a post-it by its grip so that its grip's middle lands on a point of the page. */
export async function dragTo(page, note, x, y) {
  const grip = await note.locator(".note-grip").boundingBox();
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, y, { steps: 8 });
  await page.mouse.up();
}

/** `selector`'s first element, its bar's "more" menu opened first when it is behind one (a phone). */
export async function reach(page, selector) {
  const target = page.locator(selector).first();
  if (await target.isVisible()) return target;
  const toggle = page.locator(".overflow", { has: page.locator(selector) }).locator(".overflow-toggle");
  if ((await toggle.count()) && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  await expect(target).toBeVisible();
  return target;
}

async function addNote(page, text) {
  await page.getByRole("button", { name: "Ajouter un post-it" }).click();
  await expect(page.locator(".note textarea:focus")).toBeVisible();
  await page.keyboard.type(text);
}

/**
 * Two people on one board at `origin` + `path` (pages opened with `options`): what one writes the
 * other sees. Returns the first page and how its WebAssembly came (its request's
 * Accept-Encoding, the answer's Content-Encoding).
 */
export async function twoPeopleOn(browser, origin, path, options = {}) {
  const alice = await newPage(browser, options);
  const bob = await newPage(browser, options);
  const wasm = [];
  alice.on("response", async (response) => {
    if (new URL(response.url()).pathname.endsWith("/ardoise_bg.wasm")) {
      const asked = (await response.request().allHeaders())["accept-encoding"] || "";
      wasm.push({ asked, sent: response.headers()["content-encoding"] });
    }
  });
  for (const page of [alice, bob]) {
    await page.goto(origin + path);
    await expect(page.locator(".status-ok")).toBeVisible();
  }
  await addNote(alice, "Écrit par Alice");
  await expect(note(bob, "Écrit par Alice")).toBeVisible();
  await addNote(bob, "Réponse de Bob");
  await expect(note(alice, "Réponse de Bob")).toBeVisible();
  return { alice, wasm };
}
