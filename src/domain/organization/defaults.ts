/**
 * What a new organization starts with: JumpCloud's defaults for a new org (password policy on
 * `custom` with an 8-character minimum and full complexity, every optional control off, features
 * and MFA methods disabled). Functions, not constants, so that no caller can mutate a shared copy.
 */
import type { Features, MfaConfiguration, OrganizationSettings } from './model.js';

export function defaultSettings(): OrganizationSettings {
  return {
    USER_PORTAL: {
      systemUsersCanEdit: true,
      enableUserPortalAgentInstall: false,
      idleSessionDurationMinutes: 60,
      cookieExpirationType: 'session',
    },
    PASSWORD_RECOVERY_EMAIL: { enableRecoveryEmail: false },
    ADMIN_MANAGEMENT: { disableGoogleLogin: false },
    PASSWORD_SETTINGS: {
      passwordCompliance: 'custom',
      passwordPolicy: {
        enableMinLength: true,
        minLength: 8,
        needsLowercase: true,
        needsUppercase: true,
        needsNumeric: true,
        needsSymbolic: true,
        disallowSequentialOrRepetitiveChars: false,
        disallowCommonlyUsedPasswords: false,
        allowUsernameSubstring: true,
        enableMaxHistory: false,
        maxHistory: 5,
        enableMinChangePeriodInDays: false,
        minChangePeriodInDays: 1,
        enablePasswordExpirationInDays: false,
        passwordExpirationInDays: 90,
        enableDaysBeforeExpirationToForceReset: false,
        daysBeforeExpirationToForceReset: 7,
        enableMaxLoginAttempts: false,
        maxLoginAttempts: 10,
        enableLockoutTimeInSeconds: false,
        lockoutTimeInSeconds: 300,
        enableResetLockoutCounter: false,
        resetLockoutCounterMinutes: 10,
      },
    },
    UID_GID_MANAGEMENT: { enableManagedUID: false },
    PASSWORD_CONFIGURATIONS: {
      m365: { userLockoutAction: 'maintain', userPasswordExpirationAction: 'maintain' },
      ldap: { userLockoutAction: 'disable', userPasswordExpirationAction: 'disable' },
    },
  };
}

export function defaultFeatures(): Features {
  return { directoryInsights: false, systemInsights: false, remoteAssist: false };
}

export function defaultMfa(): MfaConfiguration {
  return {
    push: { enabled: false },
    totp: { enabled: false },
    webAuthn: { enabled: false, allowSelfRegistration: false },
    duo: null,
  };
}
