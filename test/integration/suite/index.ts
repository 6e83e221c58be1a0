import * as path from 'node:path';
import Mocha from 'mocha';

/** Entry point VS Code calls inside the extension host. */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: true });
  mocha.addFile(path.resolve(__dirname, 'extension.test.js'));
  await new Promise<void>((resolve, reject) => mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} tests failed`)) : resolve())));
}
