/**
 * A new password typed twice, as the first administrator, a new user and a password change ask for it:
 * the second field says so when the two differ. The form keeps both values and disables its submit
 * while `passwordsDiffer`.
 */
import { useI18n } from '../i18n/i18n.js';
import { TextField } from '../ui/ui.js';

export const passwordsDiffer = (password: string, repeat: string): boolean =>
  repeat !== '' && repeat !== password;

export function NewPasswordFields({
  label,
  hint,
  password,
  onPassword,
  repeat,
  onRepeat,
  names = false,
}: {
  label: string;
  hint: string;
  password: string;
  onPassword: (v: string) => void;
  repeat: string;
  onRepeat: (v: string) => void;
  /** Give the inputs `name`s (the setup form is also a plain HTML form). */
  names?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <TextField
        label={label}
        value={password}
        onChange={onPassword}
        type="password"
        required
        autoComplete="new-password"
        hint={hint}
        {...(names ? { name: 'password' } : {})}
      />
      <TextField
        label={t('auth.passwordRepeat')}
        value={repeat}
        onChange={onRepeat}
        type="password"
        required
        autoComplete="new-password"
        error={passwordsDiffer(password, repeat) ? t('auth.passwordMismatch') : undefined}
        {...(names ? { name: 'repeat' } : {})}
      />
    </>
  );
}
