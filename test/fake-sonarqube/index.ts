// The fake SonarQube used by unit tests, editor tests, benchmarks and the demo: see README.md.
export { FakeSonarQube } from './server';
export type {
  AuthScheme,
  Edition,
  FakeSonarOptions,
  Fault,
  Flavour,
  MaxTokenLifetimeSetting,
  OrganizationInput,
  ProjectInput,
  RecordedRequest,
  TokenInput,
  TokenType,
  UserInput,
} from './types';
export { formatSonarDateTime } from './sonarDate';
export { seedDemo, seedMany } from './seed';
export type { BulkSeed, DemoSeed, DemoUser } from './seed';
export { startTunnelProxy } from './tunnelProxy';
export type { TunnelProxy, TunnelRoute } from './tunnelProxy';
export { featuresOf, profileOptions, serverProfile, serverProfiles } from './versions';
export type { ServerProfile, ServerProfileId, VersionFeatures } from './versions';
