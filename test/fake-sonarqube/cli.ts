// Runs a fake SonarQube for the demo and manual testing:
//   node out/test/fake-sonarqube/cli.js --port 9000 [--host 127.0.0.1] [--flavour server|cloud] [--seed demo] [--latency 100]
import { seedDemo } from './seed';
import { FakeSonarQube } from './server';
import type { FakeSonarOptions } from './types';

interface CliArguments {
  readonly options: FakeSonarOptions;
  readonly seed?: 'demo';
}

const usage = 'Usage: cli.js [--port 9000] [--host 127.0.0.1] [--flavour server|cloud] [--seed demo] [--latency ms] [--context-path /sonarqube] [--version x.y.z]';

function parseArguments(argv: readonly string[]): CliArguments {
  const options: FakeSonarOptions = {};
  let seed: 'demo' | undefined;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--port':
        options.port = Number(value);
        break;
      case '--host':
        options.host = value;
        break;
      case '--flavour':
        if (value !== 'server' && value !== 'cloud') throw new Error('--flavour is server or cloud');
        options.flavour = value;
        break;
      case '--seed':
        if (value !== 'demo') throw new Error('--seed knows only demo');
        seed = value;
        break;
      case '--latency':
        options.latencyMs = Number(value);
        break;
      case '--context-path':
        options.contextPath = value;
        break;
      case '--version':
        options.version = value;
        break;
      default:
        throw new Error(`Unknown option ${flag}`);
    }
  }
  return { options, seed };
}

async function main(): Promise<void> {
  let parsed: CliArguments;
  try {
    parsed = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const fake = await FakeSonarQube.start({ port: 9000, ...parsed.options });
  console.log(`Fake SonarQube ${fake.flavour === 'cloud' ? 'Cloud' : 'Server'} ${fake.version} at ${fake.url}`);
  if (parsed.seed === 'demo') {
    const demo = seedDemo(fake);
    for (const user of demo.users) console.log(`  user ${user.login} (${user.name})${user.admin ? ' - System Administrator' : ''}`);
    console.log(`Sign-in tokens (made now, named "${demo.signInTokenName}"):`);
    console.log(`  admin: ${demo.signInTokens.admin}`);
    console.log(`  ada:   ${demo.signInTokens.ada}`);
    console.log(`Browser sign-in (${fake.url}/sonarlint/auth) is signed in as ada.`);
  }
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
