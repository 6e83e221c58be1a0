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

/** A launcher client's file: the editor's runtime, the launcher, the binding id and the real command; no token. */
export const launcherFile = (bindingId: string, serverUrl: string) => `{
  "mcpServers": {
    "sonarqube": {
      "command": "/opt/editor/code",
      "args": [
        "/home/ada/storage/launcher/launcher.js",
        "--binding",
        "${bindingId}",
        "--",
        "docker",
${DOCKER_ARGS}
      ],
      "env": {
        "ELECTRON_RUN_AS_NODE": "1",
        "SONARQUBE_URL": "${serverUrl}"
      }
    }
  }
}
`;
