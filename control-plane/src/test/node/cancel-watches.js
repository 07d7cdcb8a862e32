// A third-party gRPC client (grpc-js) that opens Watches and cancels each at a random point: at
// once (while the server still checks its token), after a few milliseconds, or after its first
// changes. Replayable: the same seed makes the same choices. Prints a JSON summary on stdout.
//
// usage: node cancel-watches.js <host:port> <bearer token> <proto dir> <watches> <seed> [modes, comma-separated]
'use strict';
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, token, protoDir, watches, seed, modes] = process.argv.slice(2);
const random = mulberry32(Number(seed));
const MODES = modes ? modes.split(',') : ['at-once', 'soon', 'after-changes'];
const NO_CHANGE_TIMEOUT_MS = 15000;

const definition = protoLoader.loadSync('workcell/v1/action.proto', { includeDirs: [protoDir], enums: String, longs: String });
const ActionService = grpc.loadPackageDefinition(definition).workcell.v1.ActionService;
const client = new ActionService(address, grpc.credentials.createInsecure());
const metadata = new grpc.Metadata();
metadata.add('authorization', 'Bearer ' + token);

const summary = { seed: Number(seed), opened: 0, byMode: {}, changesReceived: 0, statuses: {} };
MODES.forEach((mode) => { summary.byMode[mode] = 0; });

function mulberry32(a) {
  return function next() {
    a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function watchAndCancel(mode, delayMs, changesBeforeCancel) {
  return new Promise((resolve) => {
    summary.opened++;
    summary.byMode[mode]++;
    const call = client.Watch({}, metadata);
    let seen = 0;
    let timer = null;
    call.on('data', () => {
      seen++;
      summary.changesReceived++;
      if (mode === 'after-changes' && seen === changesBeforeCancel) {
        call.cancel();
      }
    });
    call.on('error', () => {});
    call.on('status', (status) => {
      clearTimeout(timer);
      const name = grpc.status[status.code];
      summary.statuses[name] = (summary.statuses[name] || 0) + 1;
      resolve();
    });
    if (mode === 'at-once') {
      call.cancel();
    } else if (mode === 'soon') {
      timer = setTimeout(() => call.cancel(), delayMs);
    } else {
      timer = setTimeout(() => call.cancel(), NO_CHANGE_TIMEOUT_MS);
    }
  });
}

async function main() {
  const calls = [];
  for (let i = 0; i < Number(watches); i++) {
    const mode = MODES[Math.floor(random() * MODES.length)];
    const delayMs = Math.floor(random() * 80);
    const changesBeforeCancel = 1 + Math.floor(random() * 3);
    calls.push(watchAndCancel(mode, delayMs, changesBeforeCancel));
    if (random() < 0.3) {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 10)));
    }
  }
  await Promise.all(calls);
  client.close();
  // Exits without waiting for the connection to drain, as a client process that is done does.
  process.stdout.write(JSON.stringify(summary) + '\n', () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});
