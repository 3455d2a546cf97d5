// The eight keys and salts every wp-config.php defines (WordPress's own list): the local replica
// generates them, the AWS stack writes them at deploy. One list, so the two cannot drift.
export const SALT_NAMES = [
  'AUTH_KEY',
  'SECURE_AUTH_KEY',
  'LOGGED_IN_KEY',
  'NONCE_KEY',
  'AUTH_SALT',
  'SECURE_AUTH_SALT',
  'LOGGED_IN_SALT',
  'NONCE_SALT',
] as const;
