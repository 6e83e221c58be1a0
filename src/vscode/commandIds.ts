// Every command this extension contributes; package.json must list the same ids (a unit test checks both ways).
export const CommandId = {
  addConnection: 'sonarqubeTokens.addConnection',
  removeConnection: 'sonarqubeTokens.removeConnection',
  refresh: 'sonarqubeTokens.refresh',
  generateToken: 'sonarqubeTokens.generateToken',
  generateTokenForUser: 'sonarqubeTokens.generateTokenForUser',
  revokeToken: 'sonarqubeTokens.revokeToken',
  copyToken: 'sonarqubeTokens.copyToken',
  openTokenPage: 'sonarqubeTokens.openTokenPage',
  bindConnectedMode: 'sonarqubeTokens.bindConnectedMode',
  bindMcp: 'sonarqubeTokens.bindMcp',
  unbind: 'sonarqubeTokens.unbind',
  rotateToken: 'sonarqubeTokens.rotateToken',
  signInAgain: 'sonarqubeTokens.signInAgain',
  filterUsers: 'sonarqubeTokens.filterUsers',
  loadMoreUsers: 'sonarqubeTokens.loadMoreUsers',
  openAgentAppsPage: 'sonarqubeTokens.openAgentAppsPage',
  showLogs: 'sonarqubeTokens.showLogs',
  findExposedTokens: 'sonarqubeTokens.findExposedTokens',
  moveExposedToken: 'sonarqubeTokens.moveExposedToken',
  revokeExposedToken: 'sonarqubeTokens.revokeExposedToken',
  replaceExposedToken: 'sonarqubeTokens.replaceExposedToken',
  ignoreExposedToken: 'sonarqubeTokens.ignoreExposedToken',
  checkExposedToken: 'sonarqubeTokens.checkExposedToken',
  fixAllExposedTokens: 'sonarqubeTokens.fixAllExposedTokens',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

export const ContextKey = {
  hasConnections: 'sonarqubeTokens.hasConnections',
  hasAdminConnection: 'sonarqubeTokens.hasAdminConnection',
  hasBindings: 'sonarqubeTokens.hasBindings',
} as const;
