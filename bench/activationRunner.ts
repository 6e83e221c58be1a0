// One activation measurement in a fresh process: require dist/extension.js with a stand-in `vscode`, call
// activate(), and report the time, the modules loaded and any network connection attempted, as one JSON line.
import Module from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { standInContext, vscodeStandIn } from '../test/unit/support/vscodeStandIn';

const entry = path.resolve(process.argv[2] ?? 'dist/extension.js');
let connections = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  connections++;
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof connect;

const moduleInternals = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = moduleInternals._load;
moduleInternals._load = function (request: string, parent: unknown, isMain: boolean) {
  return request === 'vscode' ? vscodeStandIn : load.call(this, request, parent, isMain);
};

const context = standInContext();
const started = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(entry) as { activate(context: unknown): void };
extension.activate(context);
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
const loadedBundles = Object.keys(require.cache).filter((file) => file.startsWith(path.dirname(entry) + path.sep)).map((file) => path.basename(file));
process.stdout.write(JSON.stringify({ elapsedMs, connections, loadedBundles, subscriptions: context.subscriptions.length }) + '\n');
for (const subscription of context.subscriptions) subscription.dispose();
process.exit(0);
