// The person who installs Ardoise: the binary copied anywhere, the Debian package's binary started
// as its systemd unit starts it, and Ardoise under a sub-path behind a proxy. Each serves a board
// that hydrates and syncs in two pages, with nothing asked of another address.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, newPage, test, twoPeopleOn } from "./pages.mjs";

const built = process.env.ARDOISE_BIN || resolve(import.meta.dirname, "../../target/release/ardoise");

test.describe("the binary copied to an empty directory", () => {
  test.use({
    serverOptions: async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), "ardoise-copy-"));
      const copy = join(dir, "ardoise");
      copyFileSync(built, copy);
      await use({ binary: copy, cwd: dir });
      rmSync(dir, { recursive: true, force: true });
    },
  });

  test("serves a board that hydrates and syncs, its app compressed as asked", async ({ browser, server }) => {
    const board = await server.createBoard("Copié ailleurs");
    const { wasm } = await twoPeopleOn(browser, server.origin, board.url);
    expect(wasm.length).toBeGreaterThan(0);
    for (const { asked, sent } of wasm) expect(sent).toBe(/\bbr\b/.test(asked) ? "br" : "gzip");
  });
});

test.describe("under a base path", () => {
  test.use({ serverOptions: { base: "/outils/ardoise" } });

  test("pages, app, API, websocket and service worker all live under it", async ({ browser, server }) => {
    // From the home page's form, as a facilitator does.
    const home = await newPage(browser);
    await home.goto(server.url + "/");
    await home.getByLabel("Titre du tableau").fill("Sous un chemin");
    await home.getByRole("button", { name: "Créer le tableau" }).click();
    await expect(home).toHaveURL(/\/outils\/ardoise\/b\/[^/?]+\?k=/);
    await expect(home.locator(".status-ok")).toBeVisible();
    const path = new URL(home.url()).pathname + new URL(home.url()).search;
    await twoPeopleOn(browser, server.origin, path);
    await home.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const scope = await home.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    expect(scope).toBe(`${server.url}/`);
    // The brand leads home, under the base.
    await expect(home.locator("a.brand")).toHaveAttribute("href", "/outils/ardoise/");
    // The fixture checks that no request went anywhere but under the base path.
  });
});

// scripts/test.sh builds the Debian package and installs it (dpkg -i) before the browser tests,
// and names the installed binary here.
const installed = process.env.ARDOISE_INSTALLED_BIN;
test.describe("the Debian package's binary, started as its systemd unit starts it", () => {
  const unitEnv = {};
  if (installed && existsSync("/etc/ardoise/ardoise.env")) {
    for (const line of readFileSync("/etc/ardoise/ardoise.env", "utf8").split("\n")) {
      const setting = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (setting) unitEnv[setting[1]] = setting[2];
    }
  }
  // The port and the database are the test's own (the service may be running on its own).
  test.use({
    serverOptions: {
      binary: installed,
      command: ["serve"],
      cwd: "/",
      env: { ...unitEnv, ARDOISE_METRICS_ADDR: "off" },
    },
  });

  test("serves a board that hydrates and syncs", async ({ browser, server }) => {
    test.skip(!installed, "ARDOISE_INSTALLED_BIN is not set: scripts/test.sh installs the package");
    const board = await server.createBoard("Installé");
    await twoPeopleOn(browser, server.origin, board.url);
  });
});
