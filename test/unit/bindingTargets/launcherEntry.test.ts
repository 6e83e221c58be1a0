import * as assert from 'node:assert/strict';
import { launcherEntry, parseLauncherArgs, readLauncherEntry } from '../../../src/core/mcp/launcherEntry';

describe('launcher entry', () => {
  const runtime = { executable: '/opt/editor/code', script: '/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js' };
  const launch = { command: 'docker', args: ['run', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp'], env: { SONARQUBE_URL: 'https://sonar.example.com' }, warnings: [] };

  it('runs the launcher with the binding id and the real command after --, with no token in args or env', () => {
    assert.deepEqual(launcherEntry(runtime, 'b-42', launch), {
      command: '/opt/editor/code',
      args: [
        '/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js',
        '--binding', 'b-42', '--', 'docker', 'run', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp',
      ],
      env: { ELECTRON_RUN_AS_NODE: '1', SONARQUBE_URL: 'https://sonar.example.com' },
    });
  });

  it('reads back an entry it wrote, and nothing else', () => {
    assert.deepEqual(readLauncherEntry(launcherEntry(runtime, 'b-42', launch)), {
      runtime,
      bindingId: 'b-42',
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp'],
    });
    assert.equal(readLauncherEntry({ command: 'docker', args: ['run', '-i', 'sonarsource/sonarqube-mcp'] }), undefined);
    assert.equal(readLauncherEntry({ command: 'node', args: ['x.js', '--binding', 'b-1', 'docker'] }), undefined);
    assert.equal(readLauncherEntry({ command: 'node', args: ['x.js', '--binding', 'b-1', '--'] }), undefined);
    assert.equal(readLauncherEntry({ command: 'node', args: [1, 2] }), undefined);
    assert.equal(readLauncherEntry('node'), undefined);
    assert.equal(readLauncherEntry(null), undefined);
  });

  it('parses the launcher argv', () => {
    assert.deepEqual(parseLauncherArgs(['--binding', 'b-7', '--', 'java', '-jar', 'mcp.jar'], runtime), { runtime, bindingId: 'b-7', command: 'java', args: ['-jar', 'mcp.jar'] });
    assert.equal(parseLauncherArgs(['--binding', '', '--', 'java'], runtime), undefined);
  });
});
