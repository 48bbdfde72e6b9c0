// Going back in time: Bob finds, in the board's history, a post-it Alice deleted, sees who wrote
// it, restores it, and Alice's page gets it back; Bob's undo takes the restore back. Then the
// board is downloaded in each format from the export menu, now and as it was.
import { readFileSync } from "node:fs";
import { expect, note, openBoard, test } from "./pages.mjs";

test("a deleted post-it is found in the history, restored for everyone, and the board exported", async ({
  browser,
  server,
}) => {
  const board = await server.createBoard("Rétro de l'atelier");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  await alice.getByLabel("Votre nom").fill("Alice");
  await bob.getByLabel("Votre nom").fill("Bob");

  await alice.locator(".board").dblclick({ position: { x: 200, y: 220 } });
  await expect(alice.locator(".note textarea:focus")).toBeVisible();
  await alice.keyboard.type("Idée à garder");
  await alice.keyboard.press("Escape");
  await expect(note(bob, "Idée à garder")).toBeVisible();
  const kept = note(alice, "Idée à garder");
  await kept.hover();
  await kept.getByRole("button", { name: "Supprimer le post-it" }).click();
  await expect(bob.locator(".note")).toHaveCount(0);

  // Bob opens the history: the last change is Alice's deletion, signed with her name.
  await bob.locator(".history > summary").click();
  const panel = bob.locator(".history-panel");
  await expect(panel).toBeVisible();
  await expect(panel.locator(".history-slider")).toContainText("Alice");
  await expect(panel.locator(".bursts")).toContainText("Alice");
  // One step back: the board before the deletion, read-only, the post-it marked deleted since.
  const slider = panel.locator('input[type="range"]');
  const last = Number(await slider.getAttribute("max"));
  await slider.fill(String(last - 1));
  const then = panel.locator(".history-note", { hasText: "Idée à garder" });
  await expect(then).toContainText("supprimé depuis");
  await expect(then).toContainText("Ajouté par Alice");
  await expect(bob.locator(".note")).toHaveCount(0);

  // Its own versions say who wrote it.
  await then.getByRole("button", { name: "Ses versions" }).click();
  await expect(then.locator(".note-versions li").first()).toContainText("Alice");

  // Restored: a new change everyone receives.
  await then.getByRole("button", { name: "Restaurer ce post-it" }).click();
  await expect(note(alice, "Idée à garder")).toBeVisible();
  await expect(note(bob, "Idée à garder")).toBeVisible();
  // The history grew by one change, signed by Bob; nothing was rewritten.
  await panel.getByRole("button", { name: "Revenir à maintenant" }).click();
  await expect(slider).toHaveAttribute("max", String(last + 1));
  await expect(panel.locator(".history-slider")).toContainText("Bob");

  // Export: each format downloads, now (with the post-it) and at the moment chosen.
  for (const [format, extension] of [
    ["Markdown", "md"],
    ["CSV", "csv"],
    ["ODS", "ods"],
    ["PDF", "pdf"],
    ["PNG", "png"],
    ["SVG", "svg"],
    ["JSON", "json"],
    ["Automerge", "automerge"],
  ]) {
    const [download] = await Promise.all([
      bob.waitForEvent("download"),
      panel.locator(".export").getByRole("button", { name: format, exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${board.id}.${extension}`);
    const path = await download.path();
    const bytes = readFileSync(path);
    const start = { pdf: "%PDF", png: "\x89PNG", ods: "PK" }[extension];
    if (start) expect(bytes.subarray(0, start.length).toString("latin1")).toBe(start);
    else if (extension !== "automerge") expect(bytes.toString("utf8")).toContain("Idée à garder");
    if (extension === "md") expect(bytes.toString("utf8")).toContain("- Idée à garder");
  }
  await slider.fill(String(last));
  await expect(panel.locator(".export .hint")).toHaveText("Le tableau au moment choisi :");
  const [earlier] = await Promise.all([
    bob.waitForEvent("download"),
    panel.locator(".export").getByRole("button", { name: "Markdown", exact: true }).click(),
  ]);
  expect(readFileSync(await earlier.path(), "utf8")).not.toContain("Idée à garder");

  // The restore undoes like any edit of Bob's.
  await bob.locator(".history > summary").click();
  await bob.getByRole("button", { name: "Annuler" }).click();
  await expect(alice.locator(".note")).toHaveCount(0);
});
