// Literal texts of MCP client files as bind writes them (an empty file, the default docker launch), for tests that
// compare whole files.

/** The docker arguments of the default launch, as they appear indented in an entry's `args`. */
export const DOCKER_ARGS = `        "run",
        "--init",
        "--pull=always",
        "-i",
        "--rm",
        "-e",
        "SONARQUBE_TOKEN",
        "-e",
        "SONARQUBE_URL",
        "sonarsource/sonarqube-mcp"`;

/** The runtime and launcher the texts below name (what `installLauncher` returns in these tests). */
export const LAUNCHER_RUNTIME = { executable: '/opt/editor/code', script: '/home/ada/storage/launcher/launcher.js' };

/**
 * A launcher entry named `sonarqube` as it stands in `mcpServers` (four spaces in, no comma after): the editor's
 * runtime, the launcher, the binding id and the real command (`commandLines`, the default docker launch unless told).
 */
export const launcherEntryText = (bindingId: string, serverUrl: string, commandLines = `        "docker",\n${DOCKER_ARGS}`) => `    "sonarqube": {
      "command": "/opt/editor/code",
      "args": [
        "/home/ada/storage/launcher/launcher.js",
        "--binding",
        "${bindingId}",
        "--",
${commandLines}
      ],
      "env": {
        "ELECTRON_RUN_AS_NODE": "1",
        "SONARQUBE_URL": "${serverUrl}"
      }
    }`;

/** A launcher client's file: the editor's runtime, the launcher, the binding id and the real command; no token. */
export const launcherFile = (bindingId: string, serverUrl: string) => `{
  "mcpServers": {
${launcherEntryText(bindingId, serverUrl)}
  }
}
`;
