import type { ReactNode } from 'react';

export function Pager(props: {
  label: string;
  previous: { text: string; disabled: boolean; onClick: () => void };
  next: { text: string; disabled: boolean; onClick: () => void };
  children: ReactNode;
}) {
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" disabled={props.previous.disabled} onClick={props.previous.onClick}>
        {props.previous.text}
      </button>
      <span>{props.children}</span>
      <button type="button" disabled={props.next.disabled} onClick={props.next.onClick}>
        {props.next.text}
      </button>
    </nav>
  );
}
