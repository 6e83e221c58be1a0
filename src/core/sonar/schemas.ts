// zod schemas of the Web API responses the client reads, and their mapping to the plain shapes of types.ts.
// They accept the example responses the web services ship (see the reference folder); unknown fields pass through.
// zod/mini: the same validation at a fraction of the bundle size (the whole client loads on first use).
import * as z from 'zod/mini';
import { SonarApiError } from './errors';
import type {
  CurrentUser,
  GeneratedToken,
  MaxTokenLifetime,
  Organization,
  Page,
  ProjectRef,
  TokenList,
  UserSummary,
  UserToken,
} from './types';

// Tokens from before 9.5 (and, as far as known, SonarQube Cloud's) carry no type: they are all user tokens.
const tokenType = z._default(z.enum(['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN']), 'USER_TOKEN');

const projectRef = z.object({ key: z.string(), name: z.string() });

// Optional texts that some servers send as null rather than leaving out.
const optionalText = z.pipe(z.nullish(z.string()), z.transform((value: string | null | undefined) => value ?? undefined));

const paging = z.object({ pageIndex: z.int(), pageSize: z.int(), total: z.int() });

export const errorBodySchema = z.object({ errors: z.array(z.object({ msg: z.string() })) });

export const authenticationValidateSchema = z.object({ valid: z.boolean() });

export const systemStatusSchema = z.object({
  id: z.optional(z.string()),
  version: z.optional(z.string()),
  status: z.string(),
});

export const currentUserSchema = z.object({
  isLoggedIn: z.boolean(),
  login: z.optional(z.string()),
  name: z.optional(z.string()),
  email: optionalText,
  permissions: z.optional(z.object({ global: z.array(z.string()) })),
});

export const tokenSearchSchema = z.object({
  login: z.string(),
  userTokens: z.array(
    z.object({
      name: z.string(),
      createdAt: z.string(),
      type: tokenType,
      lastConnectionDate: optionalText,
      expirationDate: optionalText,
      isExpired: z.optional(z.boolean()),
      project: z.optional(projectRef),
    }),
  ),
});

export const generatedTokenSchema = z.object({
  login: z.string(),
  name: z.string(),
  token: z.string().check(z.minLength(1)),
  createdAt: z.string(),
  type: tokenType,
  projectKey: z.optional(z.string()),
  expirationDate: optionalText,
});

export const settingsValuesSchema = z.object({
  settings: z.array(z.object({ key: z.string(), value: z.optional(z.string()) })),
});

export const usersSearchSchema = z.object({
  paging,
  users: z.array(
    z.object({
      login: z.string(),
      name: z.optional(z.string()),
      active: z._default(z.boolean(), true),
      email: optionalText,
      tokensCount: z.optional(z.int()),
    }),
  ),
});

export const organizationsSearchSchema = z.object({
  paging,
  organizations: z.array(z.object({ key: z.string(), name: z.string(), description: optionalText })),
});

export const scannableProjectsSchema = z.object({ projects: z.array(projectRef) });

export const componentsSearchSchema = z.object({ paging, components: z.array(projectRef) });

/** `userTokens[2].type` style, the way a reader of the JSON would point at the field. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '') || '(root)';
}

/** Validates a response body; a mismatch becomes `invalidResponse` naming the first offending field. */
export function parseResponse<S extends z.ZodMiniType>(schema: S, body: unknown, endpoint: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const field = formatIssuePath(result.error.issues[0]?.path ?? []);
  throw new SonarApiError('invalidResponse', `The answer to ${endpoint} is not what was expected: field ${field} is missing or has the wrong type.`, {
    endpoint,
    detail: field,
    maybeDelivered: true,
  });
}

/** The server's `errors[].msg` texts, or none when the body is not SonarQube's error shape. */
export function serverMessagesOf(body: unknown): string[] {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.errors.map((error) => error.msg) : [];
}

export function toCurrentUser(data: z.output<typeof currentUserSchema>, endpoint: string): CurrentUser {
  if (!data.isLoggedIn || data.login === undefined) {
    throw new SonarApiError('unauthorized', `The server does not recognise the credentials sent to ${endpoint}.`, { endpoint, status: 200 });
  }
  const globalPermissions = data.permissions?.global ?? [];
  return {
    login: data.login,
    name: data.name ?? data.login,
    ...(data.email !== undefined && { email: data.email }),
    globalPermissions,
    isAdmin: globalPermissions.includes('admin'),
    canScan: globalPermissions.includes('scan'),
  };
}

export function toTokenList(data: z.output<typeof tokenSearchSchema>): TokenList {
  return {
    login: data.login,
    tokens: data.userTokens.map(
      (token): UserToken => ({
        name: token.name,
        type: token.type,
        createdAt: token.createdAt,
        ...(token.lastConnectionDate !== undefined && { lastConnectionDate: token.lastConnectionDate }),
        ...(token.expirationDate !== undefined && { expirationDate: token.expirationDate }),
        ...(token.isExpired !== undefined && { isExpired: token.isExpired }),
        ...(token.project !== undefined && { project: { key: token.project.key, name: token.project.name } }),
      }),
    ),
  };
}

export function toGeneratedToken(data: z.output<typeof generatedTokenSchema>): GeneratedToken {
  return {
    login: data.login,
    name: data.name,
    token: data.token,
    createdAt: data.createdAt,
    type: data.type,
    ...(data.projectKey !== undefined && { projectKey: data.projectKey }),
    ...(data.expirationDate !== undefined && { expirationDate: data.expirationDate }),
  };
}

export const maxLifetimeSettingKey = 'sonar.auth.token.max.allowed.lifetime';

const enforcedLifetimes: Readonly<Record<string, 30 | 90 | 365>> = { '30 days': 30, '90 days': 90, '1 year': 365 };

/** `No expiration`, an absent key (Community and Developer editions) or an unknown value enforce nothing. */
export function toMaxTokenLifetime(data: z.output<typeof settingsValuesSchema>): MaxTokenLifetime {
  const value = data.settings.find((setting) => setting.key === maxLifetimeSettingKey)?.value;
  const days = value === undefined ? undefined : enforcedLifetimes[value.trim()];
  return days === undefined ? { enforced: false } : { enforced: true, days };
}

export function toUserPage(data: z.output<typeof usersSearchSchema>): Page<UserSummary> {
  return {
    items: data.users.map(
      (user): UserSummary => ({
        login: user.login,
        name: user.name ?? user.login,
        active: user.active,
        ...(user.email !== undefined && { email: user.email }),
        ...(user.tokensCount !== undefined && { tokensCount: user.tokensCount }),
      }),
    ),
    pageIndex: data.paging.pageIndex,
    pageSize: data.paging.pageSize,
    total: data.paging.total,
  };
}

export function toOrganizations(data: z.output<typeof organizationsSearchSchema>): Organization[] {
  return data.organizations.map((organization) => ({
    key: organization.key,
    name: organization.name,
    ...(organization.description !== undefined && { description: organization.description }),
  }));
}

export function toProjectRefs(projects: ReadonlyArray<{ key: string; name: string }>): ProjectRef[] {
  return projects.map((project) => ({ key: project.key, name: project.name }));
}
