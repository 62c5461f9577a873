import { useEffect, useState, type FormEvent } from 'react';

/**
 * A search box and its button over a list whose search lives in the hash: `value` is the search in
 * force, `onSearch` sets it (trimmed) on submit, and clearing the box (its ✕, or deleting the text)
 * shows the whole list again.
 */
export function SearchBox({ value, onSearch, placeholder, label, button, inputClassName = '', testId }: { value: string; onSearch: (words: string) => void; placeholder: string; label: string; button: string; inputClassName?: string; testId: string }) {
  const [typed, setTyped] = useState(value);
  useEffect(() => setTyped(value), [value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(typed.trim());
  };
  return (
    <form className="toolbar" role="search" onSubmit={submit}>
      <input
        className={`input input-sm ${inputClassName}`.trim()}
        type="search"
        value={typed}
        placeholder={placeholder}
        aria-label={label}
        data-testid={testId}
        onChange={(event) => {
          setTyped(event.target.value);
          if (event.target.value === '' && value) onSearch('');
        }}
      />
      <button className="btn btn-sm" type="submit" data-testid={`${testId}-go`}>
        {button}
      </button>
    </form>
  );
}
