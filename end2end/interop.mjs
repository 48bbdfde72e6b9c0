// Interoperability: the published automerge-repo client, with its websocket network adapter,
// syncs an Ardoise board. Run by tests/tests/interop.rs:
//   node interop.mjs <ws://host/sync> <automerge:documentId> <text to find>
// It checks that a post-it with <text to find> is there, then writes a post-it of its own and
// waits until the server's API shows it.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const [syncUrl, documentUrl, expectedText] = process.argv.slice(2);
const apiUrl = syncUrl.replace(/^ws/, "http").replace(/\/sync$/, "");
const documentId = documentUrl.replace(/^automerge:/, "");

const repo = new Repo({ network: [new WebSocketClientAdapter(syncUrl)] });
const handle = await repo.find(documentUrl);
const doc = handle.doc();
const texts = Object.values(doc.notes ?? {}).map((note) => String(note.text));
if (!texts.includes(expectedText)) {
  console.error(`no post-it with ${JSON.stringify(expectedText)} among ${JSON.stringify(texts)}`);
  process.exit(1);
}

handle.change((d) => {
  d.notes["fromAutomergeRepo"] = {
    text: "Écrit par automerge-repo",
    x: 400,
    y: 200,
    colour: "green",
    created_at: new Date(),
  };
});

const deadline = Date.now() + 20_000;
for (;;) {
  const board = await (await fetch(`${apiUrl}/api/boards/${documentId}`)).json();
  if (board.notes.some((note) => note.id === "fromAutomergeRepo")) break;
  if (Date.now() > deadline) {
    console.error("the server never stored the post-it written by automerge-repo");
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}
console.log("automerge-repo read Ardoise's post-it and wrote one that Ardoise stored");
process.exit(0);
