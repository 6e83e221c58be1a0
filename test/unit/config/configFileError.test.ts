import * as assert from 'node:assert/strict';
import { ConfigFileError, isFixableInFile } from '../../../src/core/config/configFileError';
import type { ConfigFileProblem } from '../../../src/core/config/configFileError';

// An error a person fixes in the file itself comes with "Open File" at the place; the others (permissions, a folder
// in the way, another program writing) cannot be fixed by editing the file, so no such button is offered.
describe('which config-file errors the person is offered to open the file for', () => {
  const expected: Record<ConfigFileProblem, boolean> = {
    parse: true,
    shape: true,
    duplicateKeys: true,
    valueRemains: true,
    readOnly: false,
    io: false,
    notAFile: false,
    changedMeanwhile: false,
  };
  for (const [reason, fixable] of Object.entries(expected) as Array<[ConfigFileProblem, boolean]>) {
    it(`${reason}: ${fixable ? 'Open File' : 'no Open File'}`, () => {
      assert.equal(isFixableInFile(new ConfigFileError('/home/ada/.cursor/mcp.json', reason, () => 'the file')), fixable);
    });
  }
});
