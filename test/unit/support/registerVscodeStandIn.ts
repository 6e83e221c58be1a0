// Loaded by mocha before the unit tests (`require` in .mocharc.json): `require('vscode')` gives the stand-in, and the
// host's lazily loaded bundles (`./sonar.js`, `./commands.js` next to the built extension) resolve to their sources.
import Module from 'node:module';
import * as path from 'node:path';
import { vscodeStandIn } from './vscodeStandIn';

const internals = Module as unknown as {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
};
const load = internals._load;
internals._load = function (request: string, parent: unknown, isMain: boolean) {
  return request === 'vscode' ? vscodeStandIn : load.call(this, request, parent, isMain);
};

const bundleSources: Record<string, string> = { './sonar.js': '../core/sonar/index.js' };
const resolve = internals._resolveFilename;
internals._resolveFilename = function (request, parent, ...rest) {
  const source = bundleSources[request];
  if (source && parent?.filename && path.basename(path.dirname(parent.filename)) === 'vscode') {
    return resolve.call(this, path.resolve(path.dirname(parent.filename), source), parent, ...rest);
  }
  return resolve.call(this, request, parent, ...rest);
};
