/* global require, process */
// A JSON-RPC server in its own process (so it keeps time while the test's event loop is blocked),
// closing idle keep-alive connections after KEEP_ALIVE_MS (3 s in the tests) as Node's servers do after 5 s.
// Answers every method (single calls and batches); drops the connection, unanswered, on the first call of DROP_ON.
// Prints its port, then one line per request received.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain Node, started without ts-node for speed
const { createServer } = require("node:http");
let dropOn = process.env.DROP_ON;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const parsed = JSON.parse(body);
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    for (const call of calls) process.stdout.write(`call ${call.method}\n`);
    if (calls.some((call) => call.method === dropOn)) {
      dropOn = undefined;
      req.socket.destroy();
      return;
    }
    const answer = (call) => ({ jsonrpc: "2.0", id: call.id, result: call.method === "eth_chainId" ? "0x1" : "0x2a" });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(Array.isArray(parsed) ? calls.map(answer) : answer(parsed)));
  });
});
server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_MS ?? 5000);
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () =>
  process.stdout.write(`port ${server.address().port}\n`),
);
