// What each SonarQube version does differently, as the fake plays it, and the versions the compatibility suite runs.
// Facts: /work/shared/reference/sonarqube-web-api.md ("Version facts", "The handshake page", "Sessions of analysis
// tokens"); the route table of SonarSource/sonarqube-webapp; SonarSource's CLI, which switches to `/auth` at 2026.2.
import type { Edition, FakeSonarOptions, Flavour } from './types';

/** Numeric parts of a version string: `2026.2.0.119245` -> [2026, 2, 0, 119245]. */
function parts(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

export function versionAtLeast(version: string, major: number, minor = 0): boolean {
  const [actualMajor = 0, actualMinor = 0] = parts(version);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

/** Community Build numbers (25.x, 26.x) and commercial years (2025.x) are both "newer than 10.x". */
function releasedAtLeast(version: string, commercial: [number, number], community: [number, number]): boolean {
  const [major = 0] = parts(version);
  return major >= 2000 ? versionAtLeast(version, ...commercial) : versionAtLeast(version, ...community);
}

export interface VersionFeatures {
  /** `Authorization: Bearer` understood (documented from 10.0); Basic `token:` always is. */
  readonly bearer: boolean;
  /** `type` and `projectKey` on `api/user_tokens/generate` (9.5); older servers ignore them. */
  readonly tokenTypes: boolean;
  /** `expirationDate` on `api/user_tokens/generate` (9.6); older servers ignore it. */
  readonly expirationDate: boolean;
  /** `/sonarlint/auth` (9.7, and Cloud). */
  readonly legacyHandshake: boolean;
  /** `/auth?ideName=&port=` (2026.2 / Community Build 26.2, and Cloud). */
  readonly authHandshake: boolean;
  /** Requests made with an analysis token are refused (401) outside the scanner's endpoints (9.x). */
  readonly analysisTokensScannerOnly: boolean;
  /** Anonymous `api/system/status` shows `id` and `version` too (10.0); before, only `status`. */
  readonly fullAnonymousStatus: boolean;
  /** `managed` in `api/users/search` (10.0). */
  readonly managedUsers: boolean;
  /** `search_my_scannable_projects` (Server 9.5). */
  readonly scannableProjects: boolean;
}

export function featuresOf(flavour: Flavour, version: string): VersionFeatures {
  if (flavour === 'cloud') {
    return {
      bearer: true,
      tokenTypes: true,
      expirationDate: true,
      legacyHandshake: true,
      authHandshake: true,
      analysisTokensScannerOnly: false,
      fullAnonymousStatus: true,
      managedUsers: true,
      scannableProjects: false,
    };
  }
  return {
    bearer: versionAtLeast(version, 10),
    tokenTypes: versionAtLeast(version, 9, 5),
    expirationDate: versionAtLeast(version, 9, 6),
    legacyHandshake: versionAtLeast(version, 9, 7),
    authHandshake: releasedAtLeast(version, [2026, 2], [26, 2]),
    analysisTokensScannerOnly: !versionAtLeast(version, 10),
    fullAnonymousStatus: versionAtLeast(version, 10),
    managedUsers: versionAtLeast(version, 10),
    scannableProjects: versionAtLeast(version, 9, 5),
  };
}

/** The versions every compatibility test runs against. */
export type ServerProfileId = '9.9' | '10.4' | '10.8' | '2025.1' | '2026.x' | 'community-26.x' | 'cloud-eu' | 'cloud-us';

export interface ServerProfile {
  readonly id: ServerProfileId;
  /** As `docs/compatibility.md` names the column. */
  readonly label: string;
  readonly flavour: Flavour;
  readonly version: string;
  readonly edition: Edition;
  /** SonarQube Cloud's region; the fake itself serves both alike. */
  readonly region?: 'EU' | 'US';
}

export const serverProfiles: readonly ServerProfile[] = [
  { id: '9.9', label: 'SonarQube 9.9 LTA', flavour: 'server', version: '9.9.8.100196', edition: 'developer' },
  { id: '10.4', label: 'SonarQube 10.4', flavour: 'server', version: '10.4.1.88267', edition: 'developer' },
  { id: '10.8', label: 'SonarQube 10.8', flavour: 'server', version: '10.8.1.101195', edition: 'enterprise' },
  { id: '2025.1', label: 'SonarQube Server 2025.1 LTA', flavour: 'server', version: '2025.1.0.102418', edition: 'enterprise' },
  { id: '2026.x', label: 'SonarQube Server 2026.2', flavour: 'server', version: '2026.2.0.119245', edition: 'developer' },
  { id: 'community-26.x', label: 'Community Build 26.2', flavour: 'server', version: '26.2.0.119303', edition: 'community' },
  { id: 'cloud-eu', label: 'SonarQube Cloud (EU)', flavour: 'cloud', version: '8.0.0.74829', edition: 'developer', region: 'EU' },
  { id: 'cloud-us', label: 'SonarQube Cloud (US)', flavour: 'cloud', version: '8.0.0.74829', edition: 'developer', region: 'US' },
];

export function serverProfile(id: ServerProfileId): ServerProfile {
  const profile = serverProfiles.find((candidate) => candidate.id === id);
  if (!profile) throw new Error(`No server profile ${id}`);
  return profile;
}

/** Options that make a fake play this version. */
export function profileOptions(profile: ServerProfile): Pick<FakeSonarOptions, 'flavour' | 'version' | 'edition'> {
  return { flavour: profile.flavour, version: profile.version, edition: profile.edition };
}
