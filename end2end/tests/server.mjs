// Starts the real ardoise binary for a test, on a free port with its own SQLite file.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const binary = process.env.ARDOISE_BIN || join(root, "target/release/ardoise");
// The binary serves the browser app built into it; ARDOISE_SITE_ROOT, if set, another copy.
const siteRoot = process.env.ARDOISE_SITE_ROOT;

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

export class ArdoiseServer {
  /**
   * `binary`: another ardoise to start (a copy elsewhere, an installed one); `command`: what
   * comes before the options (`["serve"]`); `args`: more options; `base`: the `--base-path` it
   * is given, if any; `cwd`: where it starts (default: its own empty directory); `env`: more
   * environment.
   */
  static async start({ binary: program = binary, command = [], args = [], base = "", cwd, env = {} } = {}) {
    const server = new ArdoiseServer();
    server.program = program;
    server.command = command;
    server.extraArgs = base ? [...args, "--base-path", base] : args;
    server.base = base;
    server.extraEnv = env;
    /** The facilitator's secret of each board made with `createBoard`. */
    server.secrets = new Map();
    server.dir = mkdtempSync(join(tmpdir(), "ardoise-e2e-"));
    server.cwd = cwd || server.dir;
    server.port = await freePort();
    await server.spawn();
    return server;
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where its pages are: the origin and the base path. */
  get url() {
    return `${this.origin}${this.base}`;
  }

  async spawn() {
    this.child = spawn(
      this.program,
      [
        ...this.command,
        "--addr",
        `127.0.0.1:${this.port}`,
        "--database-url",
        `sqlite://${this.dir}/ardoise.db`,
        ...(siteRoot ? ["--site-root", siteRoot] : []),
        ...this.extraArgs,
      ],
      // Started from its own empty directory: nothing it serves may depend on where it runs.
      {
        cwd: this.cwd,
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, ...this.extraEnv, RUST_LOG: "warn" },
      },
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (this.child.exitCode !== null) throw new Error(`ardoise exited with ${this.child.exitCode}`);
      if (Date.now() > deadline) throw new Error("ardoise did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9, then start again on the same database and port. */
  async killAndRestart() {
    await this.kill();
    await this.spawn();
  }

  async kill() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGKILL");
    await exited;
  }

  async stop() {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * A new board (closed, as every new board) through the API. Its `url` is the facilitator's
   * link, the one its creator has; `links` holds all three.
   */
  async createBoard(title) {
    const response = await fetch(`${this.url}/api/boards`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title }),
    });
    if (response.status !== 201) throw new Error(`POST /api/boards: ${response.status}`);
    const board = await response.json();
    this.secrets.set(board.id, new URL(board.links.facilitator, this.url).searchParams.get("k"));
    return { ...board, url: board.links.facilitator };
  }

  /** The board as the API gives it to its facilitator. */
  async board(id) {
    return (await this.api(id)).json();
  }

  /** `GET /api/boards/<id>` with the facilitator's secret of a board this server made. */
  async api(id) {
    return fetch(`${this.url}/api/boards/${id}`, { headers: { authorization: `Bearer ${this.secrets.get(id)}` } });
  }
}
