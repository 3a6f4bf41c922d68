// Raw messages and JSON, in monospace, scrollable, never wrapped into something they are not.
import { json } from '../format.ts';

export function Code({ text, testId, label }: { text: string; testId?: string; label?: string }) {
  return <pre className="code" data-testid={testId} aria-label={label}>{text}</pre>;
}

export const Json = ({ value, testId }: { value: unknown; testId?: string }) => <Code text={json(value)} testId={testId} />;
