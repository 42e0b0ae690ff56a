// Small policies the policy tests share.

export const LOGGING_V1 = [
  '# Logging and monitoring',
  '',
  '## 1 Security events',
  'Authentication failures, access denials and changes of permissions are logged with the time, the actor and the resource.',
  'Controls: ISO 27001:2022 A.8.15',
  '',
  '## 2 Retention',
  'Security logs are kept for 90 days and then deleted; personal data in logs is kept no longer than that.',
  'Controls: GDPR Art. 5(1)(e), ISO 27001:2022 A.8.15',
  '',
  '## 3 No secrets in logs',
  'Logs never contain passwords, session tokens or API keys.',
  'Controls: ISO 27001:2022 A.8.12',
  'Covers: CWE-532',
].join('\n');

export const SECRETS = [
  '# Secrets and keys',
  '## 1 Secret store',
  'API keys, passwords and private keys live in the secret store and are read at start-up; none is committed to the repository.',
  'Controls: ISO 27001:2022 A.8.24',
  '## 2 Rotation',
  'Keys are rotated every year and at once when someone who knew them leaves the team.',
  'Controls: ISO 27001:2022 A.8.24',
].join('\n');
