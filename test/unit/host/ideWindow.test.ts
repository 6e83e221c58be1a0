import * as assert from 'node:assert/strict';
import { thisIdeWindow } from '../../../src/vscode/ideWindow';
import { Uri, world } from '../support/vscodeStandIn';

describe("this window, as SonarQube for IDE describes it", () => {
  beforeEach(() => world.reset());

  it("is the editor version and workspace name, asked from the origin of SonarQube for IDE's first connection", () => {
    world.workspaceFolders = [{ uri: Uri.file('/work/shop'), name: 'shop', index: 0 }];
    world.settings.set('sonarlint.connectedMode.connections.sonarqube', [{ connectionId: 'sq', serverUrl: 'https://sq.example.com/sonarqube' }]);
    world.settings.set('sonarlint.connectedMode.connections.sonarcloud', [{ connectionId: 'acme', organizationKey: 'acme', region: 'US' }]);
    assert.deepEqual(thisIdeWindow(), { description: '1.101.0 - shop', trustedOrigin: 'https://sq.example.com' });
  });

  it('has no origin to ask from when SonarQube for IDE has no connection, and no folder open', () => {
    assert.deepEqual(thisIdeWindow(), { description: '1.101.0 - (no open folder)', trustedOrigin: undefined });
  });
});
