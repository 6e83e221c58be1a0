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
  it('counts as its own only `<script> --binding <id> -- <command> [args]` with a string command and string args', () => {
    const script = '/home/ada/storage/launcher/launcher.js';
    const notOurs: Array<[string, unknown]> = [
      ['no args', { command: 'node', args: [] }],
      ['only the script', { command: 'node', args: [script] }],
      ['another flag', { command: 'node', args: [script, '--bind', 'b-1', '--', 'docker'] }],
      ['the flag second', { command: 'node', args: [script, 'b-1', '--binding', '--', 'docker'] }],
      ['an empty binding id', { command: 'node', args: [script, '--binding', '', '--', 'docker'] }],
      ['no -- before the command', { command: 'node', args: [script, '--binding', 'b-1', '-', 'docker'] }],
      ['an empty command', { command: 'node', args: [script, '--binding', 'b-1', '--', ''] }],
      ['a number among the args', { command: 'node', args: [script, '--binding', 'b-1', '--', 'docker', 9000] }],
      ['a command that is not a string', { command: ['node'], args: [script, '--binding', 'b-1', '--', 'docker'] }],
      ['args that are not a list', { command: 'node', args: `${script} --binding b-1 -- docker` }],
      ['no command', { args: [script, '--binding', 'b-1', '--', 'docker'] }],
      ['an http entry', { url: 'https://mcp.example.com/mcp' }],
    ];
    for (const [why, entry] of notOurs) assert.equal(readLauncherEntry(entry), undefined, why);
    assert.deepEqual(readLauncherEntry({ command: 'node', args: [script, '--binding', 'b-1', '--', 'docker'] }), {
      runtime: { executable: 'node', script },
      bindingId: 'b-1',
      command: 'docker',
      args: [],
    });
  });
});
