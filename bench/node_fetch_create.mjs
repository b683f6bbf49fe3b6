// What it measures: the same create request with Node.js's built-in fetch (undici, whose
// global agent keeps connections alive), the body from JSON.stringify and the answer read
// with res.json(): what a bot author may pick instead of Lua.
// CPU is process.cpuUsage() (user + system of the whole process, all threads).
// Usage: node node_fetch_create.mjs BASE_URL CALLS [WARMUP]
const [baseUrl, callsArg, warmupArg] = process.argv.slice(2);
const calls = Number(callsArg);
const warmup = Number(warmupArg ?? 20);
const url = `${baseUrl}/v24.0/106540352242922/groups`;
const headers = {
  authorization: 'Bearer test-token',
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'lua-whatsapp-groups/0.1.0',
};

async function call() {
  const body = JSON.stringify({
    messaging_product: 'whatsapp', subject: 'Bench group', description: 'created by bench',
  });
  const res = await fetch(url, { method: 'POST', headers, body });
  const answer = await res.json();
  if (res.status !== 200 || typeof answer.request_id !== 'string') {
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(answer)}`);
  }
}

for (let i = 0; i < warmup; i++) await call();
const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
for (let i = 0; i < calls; i++) await call();
const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${calls}\t${wall.toFixed(6)}\t${((cpu.user + cpu.system) / 1e6).toFixed(6)}\n`);
