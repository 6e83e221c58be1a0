// Product names as their makers write them. They stay out of translated text: a message takes them as placeholders,
// so a translator can neither translate nor misspell them (test/unit/l10n/bundle.test.ts checks the bundle).
export const PRODUCT = {
  sonarQube: 'SonarQube',
  sonarQubeServer: 'SonarQube Server',
  sonarQubeCloud: 'SonarQube Cloud',
  sonarQubeForIde: 'SonarQube for IDE',
  sonarQubeMcpServer: 'SonarQube MCP Server',
  /** This extension. */
  sonarQubeTokens: 'SonarQube Tokens',
  vsCode: 'VS Code',
  cursor: 'Cursor',
  windsurf: 'Windsurf',
  windsurfNext: 'Windsurf Next',
  claudeCode: 'Claude Code',
  claudeDesktop: 'Claude Desktop',
  geminiCli: 'Gemini CLI',
  kiro: 'Kiro',
} as const;
