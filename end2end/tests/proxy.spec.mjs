// The reverse proxy recipes of `packaging/proxy/`, each run as it is by Debian's nginx or Caddy in
// front of the test's server, with TLS: only the names, ports and certificate change (a
// certificate made for the test). Through each, a board hydrates and syncs in two pages, its
// websocket included, over HTTPS.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { alsoServedAt, expect, test, twoPeopleOn } from "./pages.mjs";
import { freePort } from "./server.mjs";

const recipes = resolve(import.meta.dirname, "../../packaging/proxy");
const recipe = (name) => readFileSync(join(recipes, name), "utf8");
const HTTPS = { ignoreHTTPSErrors: true };

/** The status of `GET https://127.0.0.1:<port><path>`, whatever the certificate; 0 if it fails. */
function statusOf(port, path) {
  return new Promise((ok) => {
    const asked = request({ host: "127.0.0.1", port, path, rejectUnauthorized: false }, (answer) => {
      answer.resume();
      ok(answer.statusCode);
    });
    asked.once("error", () => ok(0));
    asked.end();
  });
}

/** Waits until the proxy answers `/health` over TLS from Ardoise, or exits (with what it said). */
async function listening(port, base, child, said) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the proxy exited with ${child.exitCode}: ${said.join("")}`);
    if ((await statusOf(port, `${base}/health`)) === 200) return;
    if (Date.now() > deadline) throw new Error("the proxy did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A self-signed certificate for 127.0.0.1, made with openssl in `dir`. */
function certificate(dir) {
  const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  const made = spawnSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
  ]);
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  return { cert, key };
}

/** nginx with `config` (the inside of its `http` block) in `dir`, its own pid, logs and temp files. */
function nginxFile(dir, config) {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${dir}/${t};`).join(" ");
  return `daemon off; pid ${dir}/nginx.pid; error_log stderr; events {}\nhttp { access_log off; ${temp}\n${config}\n}\n`;
}

/** Each proxy and recipe: how its file is made from the recipe, and how it is started. */
const PROXIES = {
  "nginx.conf": {
    base: "",
    configure: ({ dir, port, upstream, spare, cert, key }) => {
      const config = recipe("nginx.conf")
        .replace(/^\s*listen \[::\]:.*$/gm, "")
        .replace("listen 443 ssl http2;", `listen 127.0.0.1:${port} ssl http2;`)
        .replace("listen 80;", `listen 127.0.0.1:${spare};`)
        .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${cert};`)
        .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`)
        .replaceAll("http://127.0.0.1:3000", `http://127.0.0.1:${upstream}`);
      return nginxFile(dir, config);
    },
    command: (file, dir) => ["/usr/sbin/nginx", ["-p", dir, "-c", file]],
  },
  "nginx-subpath.conf": {
    base: "/ardoise",
    configure: ({ dir, port, upstream, cert, key }) => {
      const [map, location] = recipe("nginx-subpath.conf").split("# In the site's server { ... }:");
      const site = `server { listen 127.0.0.1:${port} ssl http2; ssl_certificate ${cert}; ssl_certificate_key ${key};\n${location}\n}`;
      return nginxFile(dir, `${map}\n${site}`.replaceAll("http://127.0.0.1:3000", `http://127.0.0.1:${upstream}`));
    },
    command: (file, dir) => ["/usr/sbin/nginx", ["-p", dir, "-c", file]],
  },
  Caddyfile: {
    base: "",
    configure: (options) => caddyFile(recipe("Caddyfile"), "ardoise.example.org", options),
    command: caddyCommand,
  },
  "Caddyfile.subpath": {
    base: "/ardoise",
    configure: (options) => caddyFile(recipe("Caddyfile.subpath"), "tools.example.org", options),
    command: caddyCommand,
  },
};

/** The recipe with its site on 127.0.0.1, certificates from Caddy's own local authority. */
function caddyFile(text, name, { dir, port, upstream, spare }) {
  const global = `{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n\thttp_port ${spare}\n\thttps_port ${port}\n\tstorage file_system ${dir}/caddy\n}\n`;
  return global + text.replace(`${name} {`, `https://127.0.0.1:${port} {`).replaceAll("127.0.0.1:3000", `127.0.0.1:${upstream}`);
}

function caddyCommand(file) {
  return ["caddy", ["run", "--config", file, "--adapter", "caddyfile"]];
}

for (const [name, proxy] of Object.entries(PROXIES)) {
  test.describe(`behind packaging/proxy/${name}`, () => {
    test.use({ serverOptions: { base: proxy.base } });

    test("a board hydrates and syncs over HTTPS, its websocket through the proxy", async ({ browser, server }) => {
      const dir = mkdtempSync(join(tmpdir(), "ardoise-proxy-"));
      const [port, spare] = [await freePort(), await freePort()];
      const file = join(dir, name);
      writeFileSync(file, proxy.configure({ dir, port, spare, upstream: server.port, ...certificate(dir) }));
      const [program, args] = proxy.command(file, dir);
      const child = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, HOME: dir } });
      const said = [];
      child.stderr.on("data", (chunk) => said.push(String(chunk)));
      try {
        await listening(port, proxy.base, child, said);
        const origin = `https://127.0.0.1:${port}`;
        alsoServedAt(origin);
        const board = await server.createBoard("Derrière le proxy");
        const { alice } = await twoPeopleOn(browser, origin, board.url, HTTPS);
        // The pages know only the proxy's address: what Bob saw of Alice came by its websocket.
        expect(new URL(alice.url()).origin).toBe(origin);
        expect(await alice.evaluate(() => location.protocol)).toBe("https:");
      } finally {
        const exited = new Promise((ok) => (child.exitCode !== null ? ok() : child.once("exit", ok)));
        child.kill();
        await exited;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
