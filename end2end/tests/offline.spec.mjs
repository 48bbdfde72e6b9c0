// Hotel wifi: a page that loses the network keeps working, reloads while offline, and merges
// with the others when the network comes back. And a board deleted by one person is gone for all.
import { expect, openBoard, test } from "./pages.mjs";

async function texts(page) {
  return (await page.locator(".note textarea").evaluateAll((areas) => areas.map((a) => a.value))).sort();
}

async function addNote(page, text) {
  await page.getByRole("button", { name: "Ajouter un post-it" }).click();
  await expect(page.locator(".note textarea:focus")).toBeVisible();
  await page.keyboard.type(text);
}

test("a page that goes offline keeps its edits through a reload, then both pages converge", async ({ browser, server }) => {
  const board = await server.createBoard("Wifi d'hôtel");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  await addNote(alice, "Avant la coupure");
  await expect(bob.locator(".note textarea")).toHaveValue("Avant la coupure");
  // The service worker has taken the page and the app in its cache.
  await alice.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await alice.context().setOffline(true);
  await expect(alice.locator(".status")).toContainText("Hors ligne");
  await addNote(alice, "Écrit hors ligne par Alice");
  await addNote(bob, "Écrit pendant ce temps par Bob");
  await expect(alice.locator(".status")).toHaveAttribute("data-saved-locally", "true");
  await expect(bob.locator(".note")).toHaveCount(2);

  // Reload while still offline: the page comes from the service worker, the edits from IndexedDB.
  await alice.reload();
  await expect(alice.locator(".status")).toContainText("Hors ligne");
  await expect.poll(() => texts(alice)).toEqual(["Avant la coupure", "Écrit hors ligne par Alice"]);

  await alice.context().setOffline(false);
  await expect(alice.locator(".status-ok")).toBeVisible();
  const all = ["Avant la coupure", "Écrit hors ligne par Alice", "Écrit pendant ce temps par Bob"].sort();
  await expect.poll(() => texts(alice)).toEqual(all);
  await expect.poll(() => texts(bob)).toEqual(all);
  await expect.poll(async () => (await server.board(board.id)).notes.length).toBe(3);
  await alice.screenshot({ path: "screenshots/back-online-fr.png" });
});

test("two tabs of one board, offline in the same browser, both keep their edits", async ({ browser, server }) => {
  const board = await server.createBoard("Deux onglets");
  const first = await openBoard(browser, server, board.url);
  await first.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const context = first.context();
  const second = await context.newPage();
  await second.goto(server.url + board.url);
  await expect(second.locator(".status-ok")).toBeVisible();

  await context.setOffline(true);
  await addNote(first, "Du premier onglet");
  await expect(first.locator(".status")).toHaveAttribute("data-saved-locally", "true");
  await addNote(second, "Du second onglet");
  await expect(second.locator(".status")).toHaveAttribute("data-saved-locally", "true");

  // A third tab, still offline, opens from this browser's copy: both tabs' edits are there.
  const third = await context.newPage();
  await third.goto(server.url + board.url);
  await expect.poll(() => texts(third)).toEqual(["Du premier onglet", "Du second onglet"]);
});

test("deleting a board removes it for everyone", async ({ browser, server }) => {
  const board = await server.createBoard("À supprimer");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  await addNote(alice, "Éphémère");
  await expect(bob.locator(".note textarea")).toHaveValue("Éphémère");

  alice.once("dialog", (dialog) => dialog.accept());
  await alice.getByRole("button", { name: "Supprimer le tableau" }).click();
  await expect(alice).toHaveURL(server.url + "/");
  await expect(bob.locator(".status")).toContainText("Pas de tableau à cette adresse.");
  expect((await server.api(board.id)).status).toBe(404);
  await bob.reload();
  await expect(bob.locator("main")).toContainText("Pas de tableau à cette adresse.");
});
