// A date typed day first, whatever the browser's language (shared/text/uk-date.ts), with a "Reads as" echo like
// the postcode and phone fields. What cannot be read is kept as typed, so the form's rules can say so at the field.
import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { isRealIsoDate } from '../../../../shared/schemas/common.ts';
import { longUkDate, parseUkDate, shortUkDate } from '../../../../shared/text/uk-date.ts';

interface Props {
  label: string;
  /** YYYY-MM-DD, or what was typed when it could not be read, or ''. */
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string | undefined;
  size?: 'xs' | 'sm';
  w?: number;
  placeholder?: string;
}

const shown = (value: string) => (isRealIsoDate(value) ? shortUkDate(value) : value);

export function UkDateInput({ label, value, onChange, onBlur, error, size, w, placeholder = 'dd/mm/yyyy' }: Props) {
  const [typed, setTyped] = useState(() => shown(value));
  // A value set from outside (a suggestion accepted, a draft loaded) replaces what is shown.
  const [held, setHeld] = useState(value);
  if (held !== value) {
    setHeld(value);
    if ((parseUkDate(typed) ?? typed) !== value) setTyped(shown(value));
  }
  const read = parseUkDate(typed);
  return (
    <TextInput
      label={label}
      size={size}
      w={w}
      placeholder={placeholder}
      inputMode="numeric"
      autoComplete="off"
      value={typed}
      description={read && typed.trim() ? `Reads as ${longUkDate(read)}` : typed.trim() ? 'Type the day first: dd/mm/yyyy' : undefined}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setTyped(next);
        const parsed = parseUkDate(next);
        const out = parsed ?? next.trim();
        setHeld(out);
        onChange(out);
      }}
      onBlur={() => {
        if (read) setTyped(shortUkDate(read));
        onBlur?.();
      }}
      error={error}
    />
  );
}
